package dev.crossbar.codecs.spi;

import dev.crossbar.codecs.model.StreamEvent;
import java.util.function.Consumer;

/**
 * Parses an upstream's streamed body as its bytes arrive, in chunks split anywhere, and emits canonical
 * events. One instance per stream; not thread-safe.
 */
public interface UpstreamStreamDecoder {

    void decode(byte[] bytes, int offset, int length, Consumer<StreamEvent> out);

    default void decode(byte[] bytes, Consumer<StreamEvent> out) {
        decode(bytes, 0, bytes.length, out);
    }

    /**
     * The upstream closed the body. Emits {@link StreamEvent.End} (after a synthesised Finish where the
     * protocol ends by closing) when the stream was complete, or {@link StreamEvent.Error} when it was cut.
     */
    void end(Consumer<StreamEvent> out);
}
