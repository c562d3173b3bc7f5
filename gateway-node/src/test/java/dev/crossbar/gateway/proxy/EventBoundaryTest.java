package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class EventBoundaryTest {

    private static final String LF = "event: a\ndata: {\"x\":1}\n\ndata: two\ndata: lines\n\n: comment\n\ndata: cut";
    private static final String CRLF = "data: {\"x\":1}\r\n\r\nevent: b\r\ndata: y\r\n\r\ndata: cut";
    private static final String CR = "data: 1\r\rdata: 2\r\rdata: cut";

    @Test
    void shouldFindEveryEventEndWhenFedWhole() {
        assertEquals(ends(LF).last(), new EventBoundary().scan(bytes(LF), 0, bytes(LF).length));
        assertEquals(ends(CRLF).last(), new EventBoundary().scan(bytes(CRLF), 0, bytes(CRLF).length));
        assertEquals(ends(CR).last(), new EventBoundary().scan(bytes(CR), 0, bytes(CR).length));
    }

    @Test
    void shouldFindNoEndInsideAnUnfinishedEvent() {
        byte[] b = bytes("data: {\"half\":");
        assertEquals(-1, new EventBoundary().scan(b, 0, b.length));
        byte[] oneLine = bytes("data: x\n");
        assertEquals(-1, new EventBoundary().scan(oneLine, 0, oneLine.length));
    }

    @Test
    void shouldForwardOnlyWholeEventsAtEverySplit() {
        for (String transcript : List.of(LF, CRLF, CR)) {
            byte[] all = bytes(transcript);
            for (int split = 0; split <= all.length; split++) {
                relay(transcript, new int[] {split});
            }
            relay(transcript, oneByteAtATime(all.length));
            Random random = new Random(transcript.hashCode());
            for (int run = 0; run < 200; run++) {
                relay(transcript, randomSplits(random, all.length));
            }
        }
    }

    /** Feeds the transcript in chunks as StreamRelay does; every write must end where an event ends. */
    private static void relay(String transcript, int[] splits) {
        byte[] all = bytes(transcript);
        NavigableSet<Integer> ends = ends(transcript);
        EventBoundary boundary = new EventBoundary();
        int forwarded = 0;
        int start = 0;
        for (int i = 0; i <= splits.length; i++) {
            int stop = i < splits.length ? splits[i] : all.length;
            int end = boundary.scan(all, start, stop);
            if (end >= 0) {
                assertTrue(end > forwarded, "writes move forward");
                assertTrue(
                        endsAnEvent(all, ends, end),
                        transcript + " split " + Arrays.toString(splits) + " forwarded up to " + end);
                forwarded = end;
            }
            start = stop;
        }
        assertTrue(
                forwarded >= ends.last() - 1 && endsAnEvent(all, ends, forwarded),
                "everything up to the last whole event went out: " + forwarded);
    }

    /** An event end, or the CR of a CRLF that ends one (its LF then leads the next write, harmlessly). */
    private static boolean endsAnEvent(byte[] all, Set<Integer> ends, int offset) {
        return ends.contains(offset) || (ends.contains(offset + 1) && all[offset - 1] == '\r' && all[offset] == '\n');
    }

    /** The offsets just past each empty line, found the slow way. */
    private static NavigableSet<Integer> ends(String transcript) {
        TreeSet<Integer> ends = new TreeSet<>();
        String s = transcript;
        int lineStart = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                int next = c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? i + 2 : i + 1;
                if (i == lineStart) {
                    ends.add(next);
                }
                lineStart = next;
                i = next - 1;
            }
        }
        return ends;
    }

    private static int[] oneByteAtATime(int length) {
        int[] splits = new int[length];
        for (int i = 0; i < length; i++) {
            splits[i] = i + 1;
        }
        return splits;
    }

    private static int[] randomSplits(Random random, int length) {
        List<Integer> splits = new ArrayList<>();
        for (int at = random.nextInt(6); at < length; at += 1 + random.nextInt(8)) {
            splits.add(at);
        }
        return splits.stream().mapToInt(Integer::intValue).toArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
