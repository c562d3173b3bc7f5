package dev.crossbar.codecs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.sse.StreamFormatException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The event-stream framing: any split of a byte stream decodes to the same messages; any damaged byte is an error. */
class EventStreamDecoderProperties {

    @Provide
    Arbitrary<List<EventStreamMessage>> messages() {
        Arbitrary<Map<String, String>> headers = Combinators.combine(
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20),
                        Arbitraries.strings().ofMaxLength(60))
                .as((k, v) -> Map.entry(":" + k, v))
                .list()
                .ofMaxSize(4)
                .map(entries -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    entries.forEach(e -> m.put(e.getKey(), e.getValue()));
                    return m;
                });
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(headers, payload)
                .as(EventStreamMessage::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(8);
    }

    @Property(tries = 300)
    void shouldDecodeTheSameMessagesAtAnySplit(
            @ForAll("messages") List<EventStreamMessage> sent, @ForAll List<@IntRange(max = 5000) Integer> cuts) {
        byte[] bytes = frame(sent);
        int[] points =
                cuts.stream().mapToInt(c -> c % (bytes.length + 1)).sorted().toArray();
        EventStreamDecoder decoder = new EventStreamDecoder();
        List<EventStreamMessage> got = new ArrayList<>();
        int from = 0;
        for (int cut : points) {
            decoder.feed(bytes, from, cut - from, got::add);
            from = cut;
        }
        decoder.feed(bytes, from, bytes.length - from, got::add);
        assertEquals(sent, got);
        assertTrue(decoder.atBoundary());
    }

    @Property(tries = 300)
    void shouldRefuseAStreamWithAnyByteDamaged(
            @ForAll("messages") List<EventStreamMessage> sent,
            @ForAll @IntRange(max = 100_000) int where,
            @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] bytes = frame(sent);
        bytes[where % bytes.length] ^= (byte) flip;
        EventStreamDecoder decoder = new EventStreamDecoder();
        List<EventStreamMessage> got = new ArrayList<>();
        // A damaged length may promise more bytes than come: then the stream is left mid-message, never whole.
        try {
            decoder.feed(bytes, 0, bytes.length, got::add);
        } catch (StreamFormatException expected) {
            return;
        }
        assertTrue(!decoder.atBoundary(), "a damaged stream decoded as " + got);
    }

    @Property(tries = 50)
    void shouldTakeNothingMoreOnceCorrupted(@ForAll("messages") List<EventStreamMessage> sent) {
        byte[] bytes = frame(sent);
        bytes[bytes.length - 1] ^= 1;
        EventStreamDecoder decoder = new EventStreamDecoder();
        assertThrows(StreamFormatException.class, () -> decoder.feed(bytes, 0, bytes.length, m -> {}));
        assertThrows(StreamFormatException.class, () -> decoder.feed(bytes, 0, 1, m -> {}));
    }

    @Property(tries = 20)
    void shouldRefuseALengthOverTheCap(@ForAll @IntRange(min = 0, max = 1000) int extra) {
        byte[] prelude = new byte[12];
        int total = EventStreamDecoder.MAX_MESSAGE_BYTES + 1 + extra;
        prelude[0] = (byte) (total >>> 24);
        prelude[1] = (byte) (total >>> 16);
        prelude[2] = (byte) (total >>> 8);
        prelude[3] = (byte) total;
        int crc = (int) EventStreamDecoder.crc(prelude, 0, 8);
        prelude[8] = (byte) (crc >>> 24);
        prelude[9] = (byte) (crc >>> 16);
        prelude[10] = (byte) (crc >>> 8);
        prelude[11] = (byte) crc;
        StreamFormatException e =
                assertThrows(StreamFormatException.class, () -> new EventStreamDecoder().feed(prelude, 0, 12, m -> {}));
        assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
    }

    private static byte[] frame(List<EventStreamMessage> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (EventStreamMessage m : messages) {
            byte[] f = EventStreamWriter.frame(m.headers(), m.payload());
            out.write(f, 0, f.length);
        }
        return Arrays.copyOf(out.toByteArray(), out.size());
    }
}
