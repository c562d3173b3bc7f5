package dev.crossbar.codecs.openai;

import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Feeds a whole upstream body to a stream decoder in chunks cut at the given offsets, then ends it. */
public final class StreamFeed {

    private StreamFeed() {}

    public static List<StreamEvent> decode(UpstreamStreamDecoder decoder, byte[] all, int... cuts) {
        List<StreamEvent> events = new ArrayList<>();
        int[] points = Arrays.stream(cuts)
                .map(c -> Math.max(0, Math.min(all.length, c)))
                .sorted()
                .toArray();
        int from = 0;
        for (int cut : points) {
            decoder.decode(Arrays.copyOfRange(all, from, cut), events::add);
            from = cut;
        }
        decoder.decode(Arrays.copyOfRange(all, from, all.length), events::add);
        decoder.end(events::add);
        return events;
    }

    public static List<StreamEvent> decodeByteByByte(UpstreamStreamDecoder decoder, byte[] all) {
        List<StreamEvent> events = new ArrayList<>();
        for (byte b : all) {
            decoder.decode(new byte[] {b}, events::add);
        }
        decoder.end(events::add);
        return events;
    }
}
