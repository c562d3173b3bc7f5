package dev.crossbar.codecs.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crossbar.codecs.anthropic.AnthropicUpstreamCodec;
import dev.crossbar.codecs.gemini.GeminiUpstreamCodec;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.responses.OpenAiResponsesUpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.testkit.Golden;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The cheap usage read agrees with the full decode, and refuses what the full decode refuses. */
class UsageOfTest {

    private static void agree(UpstreamCodec codec, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertEquals(codec.decodeResponse(bytes).usage(), codec.usageOf(bytes));
        // In place, within a larger array (a received buffer's): what lies around it is never read.
        byte[] around = new byte[bytes.length + 7];
        around[0] = '[';
        around[1] = '{';
        System.arraycopy(bytes, 0, around, 2, bytes.length);
        around[bytes.length + 2] = '}';
        around[bytes.length + 3] = '"';
        assertEquals(codec.usageOf(bytes), codec.usageOf(around, 2, bytes.length));
        int close = body.lastIndexOf('}'); // ASCII from there on: a char index is a byte index from the end
        int withoutClose = bytes.length - (body.length() - close);
        assertThrows(
                CodecException.class, () -> codec.usageOf(around, 2, withoutClose), "cut before its closing brace");
    }

    @Test
    void openAi() {
        UpstreamCodec codec = new OpenAiUpstreamCodec(OpenAiDialect.OPENAI);
        agree(codec, """
                {"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
                "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
                "usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10,
                "prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":1}}}""");
        assertThrows(CodecException.class, () -> codec.usageOf("not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anthropic() {
        agree(new AnthropicUpstreamCodec(), """
                {"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"hi"}],
                "stop_reason":"end_turn","stop_sequence":null,
                "usage":{"input_tokens":5,"output_tokens":2,"cache_read_input_tokens":4,"cache_creation_input_tokens":1}}""");
    }

    @Test
    void gemini() {
        agree(new GeminiUpstreamCodec(), """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP","index":0}],
                "usageMetadata":{"promptTokenCount":6,"candidatesTokenCount":2,"totalTokenCount":8,"thoughtsTokenCount":1}}""");
    }

    /** Every real answer of the golden vectors, cache and reasoning kinds included: the cheap read sees them all. */
    @TestFactory
    Stream<DynamicTest> everyGoldenAnswer() {
        return Stream.of(
                        cases(
                                new OpenAiUpstreamCodec(OpenAiDialect.GENERIC),
                                "openai/upstream-response",
                                ".response.json"),
                        cases(new OpenAiResponsesUpstreamCodec(), "responses/upstream-response", ".response.json"),
                        cases(new AnthropicUpstreamCodec(), "anthropic/upstream-response", ".response.json"),
                        cases(new GeminiUpstreamCodec(), "gemini/upstream-response", ".response.json"))
                .flatMap(s -> s);
    }

    private static Stream<DynamicTest> cases(UpstreamCodec codec, String dir, String suffix) {
        return Golden.cases(dir, suffix).stream()
                .map(name -> DynamicTest.dynamicTest(dir + "/" + name, () -> {
                    byte[] body = Files.readAllBytes(Path.of(Golden.ROOT.toString(), dir, name + suffix));
                    agree(codec, new String(body, StandardCharsets.UTF_8));
                }));
    }
}
