package dev.crossbar.codecs.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** A stream asked for usage by the gateway reaches the client as the stream it would have had without. */
class UnaskedUsageFilterTest {

    private static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o\",\"system_fingerprint\":\"fp_1\",\"choices\":";

    /** What OpenAI sends with {@code include_usage}: a null usage on every chunk, then the usage chunk. */
    private static String asked(String eol) {
        return "data: " + HEAD
                + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]"
                + ",\"usage\":null}" + eol + eol
                + "data: " + HEAD
                + "[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}],\"usage\":null}"
                + eol + eol
                + "data: " + HEAD + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}" + eol
                + eol
                + "data: " + HEAD + "[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10}}"
                + eol + eol
                + "data: [DONE]" + eol + eol;
    }

    /** The same answer as a client that did not ask gets it. */
    private static String unasked(String eol) {
        return "data: " + HEAD
                + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"
                + eol + eol
                + "data: " + HEAD + "[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}" + eol + eol
                + "data: " + HEAD + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}" + eol + eol
                + "data: [DONE]" + eol + eol;
    }

    private static String filter(String events) {
        byte[] bytes = events.getBytes(StandardCharsets.UTF_8);
        return new String(new UnaskedUsageFilter().filter(bytes, 0, bytes.length), StandardCharsets.UTF_8);
    }

    @Test
    void shouldGiveTheClientTheStreamItWouldHaveHadWithoutUsage() {
        assertEquals(unasked("\n"), filter(asked("\n")));
        assertEquals(unasked("\r\n"), filter(asked("\r\n")));
    }

    @Test
    void shouldGiveTheSameWhateverEventsItIsFedAtATime() {
        String all = asked("\n");
        StringBuilder out = new StringBuilder();
        for (String event : all.split("(?<=\n\n)", -1)) {
            out.append(filter(event));
        }
        assertEquals(unasked("\n"), out.toString());
    }

    @Test
    void shouldPassWhatItDoesNotRecogniseUnchanged() {
        String other = """
                : keep-alive

                event: ping
                data: {"usage":{"x":1}}

                data: {"choices":[{"index":0}],"usage":{"prompt_tokens":1}}

                data: {"a":
                data: 1}

                data: not json

                data: {"usage":null,"choices":[{"index":0},

                data: {"usage":null,"choices":[

                """;
        assertEquals(other, filter(other));
    }

    @Test
    void shouldTakeOutATopLevelNullUsageWithItsCommaOnly() {
        assertEquals("data: {\"a\":1}\n\n", filter("data: {\"a\":1,\"usage\":null}\n\n"));
        assertEquals("data: {\"a\":1}\n\n", filter("data: {\"usage\" : null ,\"a\":1}\n\n"));
        assertEquals("data: {}\n\n", filter("data: {\"usage\":null}\n\n"));
        assertEquals("data:{ \"a\":1  }\n\n", filter("data:{ \"a\":1 , \"usage\":null }\n\n"));
        assertEquals(
                "data: {\"x\":{\"usage\":null},\"b\":2}\n\n",
                filter("data: {\"x\":{\"usage\":null},\"usage\":null,\"b\":2}\n\n"));
        String reported = "data: {\"choices\":[{\"index\":0}],\"usage\":{\"prompt_tokens\":1}}\n\n";
        assertEquals(reported, filter(reported), "a usage with numbers stays");
        assertEquals("data: [DONE]\n\n", filter("data: [DONE]\n\n"));
    }

    /**
     * Any chunk, whatever its members and their text: the usage chunk goes, a null usage goes, and everything
     * else reaches the client as the same JSON.
     */
    @Property(tries = 500)
    void shouldTakeOutOnlyWhatTheGatewayAskedFor(
            @ForAll String before,
            @ForAll String after,
            @ForAll @IntRange(max = 2) int usage,
            @ForAll boolean noChoices,
            @ForAll boolean usageFirst)
            throws Exception {
        ObjectNode chunk = Json.NODES.objectNode();
        if (usageFirst) {
            putUsage(chunk, usage);
        }
        chunk.put("a", before);
        ArrayNode choices = chunk.putArray("choices");
        if (!noChoices) {
            choices.addObject().put("index", 0).putObject("delta").put("content", after);
        }
        if (!usageFirst) {
            putUsage(chunk, usage);
        }
        String filtered = filter("data: " + Json.string(chunk) + "\n\n");
        if (usage == 2 && noChoices) {
            assertEquals("", filtered, "the usage chunk");
            return;
        }
        if (usage == 1) {
            chunk.remove("usage");
        }
        assertTrue(filtered.startsWith("data: ") && filtered.endsWith("\n\n"), filtered);
        assertEquals(chunk, Json.MAPPER.readTree(filtered.substring(6, filtered.length() - 2)));
    }

    /**
     * The scan reads what Jackson's parser reads: on chunks with usage and choices of every kind, members in any
     * order and repeated, spaces around the tokens, and the same bytes damaged or cut, the cut is the same.
     */
    @Property(tries = 1000)
    void shouldCutWhatJacksonsReadingCuts(
            @ForAll @Size(max = 6) List<@IntRange(max = 10) Integer> members,
            @ForAll @IntRange(max = 3) int spaces,
            @ForAll @Size(max = 3) List<@IntRange(max = 10_000) Integer> damage,
            @ForAll @IntRange(max = 255) int damageByte,
            @ForAll @IntRange(max = 10_000) int cutAt,
            @ForAll boolean cut) {
        String pad = " ".repeat(spaces);
        StringBuilder json = new StringBuilder("{");
        for (int m = 0; m < members.size(); m++) {
            if (m > 0) {
                json.append(pad).append(',');
            }
            json.append(pad).append(MEMBERS.get(members.get(m)).replace(":", pad + ":" + pad));
        }
        byte[] bytes = json.append(pad).append('}').toString().getBytes(StandardCharsets.UTF_8);
        for (int at : damage) {
            bytes[at % bytes.length] = (byte) damageByte;
        }
        int to = cut ? cutAt % (bytes.length + 1) : bytes.length;
        UnaskedUsageFilter.Cut scanned = UnaskedUsageFilter.cut(bytes, 0, to);
        UnaskedUsageFilter.Cut parsed = UnaskedUsageFilter.cutWithJackson(bytes, 0, to);
        assertEquals(parsed.from + "," + parsed.to, scanned.from + "," + scanned.to, new String(bytes, 0, to, UTF_8));
    }

    private static final List<String> MEMBERS = List.of(
            "\"usage\":null",
            "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1}",
            "\"choices\":[]",
            "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"usage\\\":null\"}}]",
            "\"id\":\"chatcmpl-1\"",
            "\"u\\u0073age\":null",
            "\"usage\":[]",
            "\"usage\":\"none\"",
            "\"choices\":{}",
            "\"usages\":null",
            "\"choices\":\"]\"");

    /** 0: no usage, 1: a null one, 2: a usage object. */
    private static void putUsage(ObjectNode chunk, int usage) {
        if (usage == 1) {
            chunk.putNull("usage");
        } else if (usage == 2) {
            chunk.putObject("usage").put("prompt_tokens", 9);
        }
    }

    @Test
    void shouldKeepALastEventThatLacksItsEmptyLine() {
        assertEquals("data: {\"choices\":[]}", filter("data: {\"choices\":[],\"usage\":null}"));
    }
}
