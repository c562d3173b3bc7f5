package dev.crossbar.codecs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.crossbar.codecs.model.StreamEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every upstream transcript yields the same events however its bytes are split into chunks. */
class ChatChunkDecoderSplitTest {

    private static final List<Path> TRANSCRIPTS = Golden.files("openai/upstream-streams", ".in.sse");

    @TestFactory
    Stream<DynamicTest> shouldDecodeTheSameAtEverySplitPoint() {
        return TRANSCRIPTS.stream()
                .map(path -> dynamicTest(path.getFileName().toString(), () -> {
                    byte[] all = Golden.bytes(path);
                    List<StreamEvent> whole = StreamFeed.decode(new ChatChunkDecoder(), all);
                    for (int split = 0; split <= all.length; split++) {
                        assertEquals(whole, StreamFeed.decode(new ChatChunkDecoder(), all, split), "split at " + split);
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> shouldDecodeTheSameOneByteAtATime() {
        return TRANSCRIPTS.stream()
                .map(path -> dynamicTest(path.getFileName().toString(), () -> {
                    byte[] all = Golden.bytes(path);
                    assertEquals(
                            StreamFeed.decode(new ChatChunkDecoder(), all),
                            StreamFeed.decodeByteByByte(new ChatChunkDecoder(), all));
                }));
    }

    @Property(tries = 300)
    void shouldDecodeTheSameAtRandomSplits(@ForAll("transcripts") int which, @ForAll("cuts") List<Integer> cuts) {
        byte[] all = Golden.bytes(TRANSCRIPTS.get(which));
        int[] points = cuts.stream().mapToInt(c -> c % (all.length + 1)).toArray();
        assertEquals(
                StreamFeed.decode(new ChatChunkDecoder(), all), StreamFeed.decode(new ChatChunkDecoder(), all, points));
    }

    @Provide
    Arbitrary<Integer> transcripts() {
        return Arbitraries.integers().between(0, TRANSCRIPTS.size() - 1);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers()
                .between(0, Integer.MAX_VALUE)
                .list()
                .ofMinSize(1)
                .ofMaxSize(40);
    }
}
