package dev.crossbar.codecs.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

    private static final String TRANSCRIPT = """
            : a comment\r
            event: message_start\r
            data: {"type":"message_start","text":"héllo ☃ 😀"}\r
            \r
            event: ping
            data: {"type": "ping"}

            data: line one
            data: line two

            id: 7
            retry: 1000
            data:no-space

            event: empty-is-not-dispatched

            data: [DONE]

            """;

    private static final List<SseEvent> EXPECTED = List.of(
            new SseEvent("message_start", "{\"type\":\"message_start\",\"text\":\"héllo ☃ 😀\"}", null),
            new SseEvent("ping", "{\"type\": \"ping\"}", null),
            new SseEvent(null, "line one\nline two", null),
            new SseEvent(null, "no-space", "7"),
            new SseEvent(null, "[DONE]", "7"));

    @Test
    void shouldDecodeWholeTranscript() {
        assertEquals(EXPECTED, decodeInChunks(bytes(TRANSCRIPT), new int[0]));
    }

    @Test
    void shouldDecodeOneByteAtATime() {
        byte[] all = bytes(TRANSCRIPT);
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();
        for (byte b : all) {
            decoder.feed(new byte[] {b}, events::add);
        }
        assertTrue(decoder.finish(events::add));
        assertEquals(EXPECTED, events);
    }

    @Test
    void shouldDecodeTheSameAtEverySplitPoint() {
        byte[] all = bytes(TRANSCRIPT);
        for (int split = 0; split <= all.length; split++) {
            assertEquals(EXPECTED, decodeInChunks(all, new int[] {split}), "split at " + split);
        }
    }

    @Property(tries = 300)
    void shouldDecodeTheSameAtRandomSplits(@ForAll("splits") List<Integer> cuts) {
        byte[] all = bytes(TRANSCRIPT);
        int[] points =
                cuts.stream().mapToInt(c -> c % (all.length + 1)).sorted().toArray();
        assertEquals(EXPECTED, decodeInChunks(all, points));
    }

    @Provide
    Arbitrary<List<Integer>> splits() {
        return Arbitraries.integers().between(0, 10_000).list().ofMaxSize(40);
    }

    @Test
    void shouldDispatchLastEventWithoutTrailingBlankLineOnFinish() {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();
        decoder.feed(bytes("data: {\"a\":1}\n\ndata: {\"b\":2}"), events::add);
        assertEquals(1, events.size());
        assertFalse(decoder.finish(events::add));
        assertEquals(List.of(SseEvent.data("{\"a\":1}"), SseEvent.data("{\"b\":2}")), events);
    }

    @Test
    void shouldRejectEventOverTheSizeCap() {
        SseDecoder decoder = new SseDecoder(64);
        byte[] big = bytes("data: " + "x".repeat(100) + "\n\n");
        assertThrows(StreamFormatException.class, () -> decoder.feed(big, e -> {}));
    }

    @Test
    void writerOutputRoundTripsThroughDecoder() {
        String text = SseWriter.event("delta", "a\nb") + SseWriter.data("{\"x\":\"y\"}");
        List<SseEvent> events = decodeInChunks(bytes(text), new int[0]);
        assertEquals(List.of(new SseEvent("delta", "a\nb", null), SseEvent.data("{\"x\":\"y\"}")), events);
    }

    static List<SseEvent> decodeInChunks(byte[] all, int[] sortedCuts) {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();
        int from = 0;
        for (int cut : sortedCuts) {
            decoder.feed(all, from, cut - from, events::add);
            from = cut;
        }
        decoder.feed(all, from, all.length - from, events::add);
        assertTrue(decoder.finish(events::add), "nothing should be left over");
        return events;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
