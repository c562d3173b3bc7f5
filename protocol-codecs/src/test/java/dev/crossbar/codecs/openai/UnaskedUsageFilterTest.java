package dev.crossbar.codecs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
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

                """;
        assertEquals(other, filter(other));
    }

    @Test
    void shouldKeepALastEventThatLacksItsEmptyLine() {
        assertEquals("data: {\"choices\":[]}", filter("data: {\"choices\":[],\"usage\":null}"));
    }
}
