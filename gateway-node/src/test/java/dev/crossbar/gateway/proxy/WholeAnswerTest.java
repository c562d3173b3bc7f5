package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.gateway.routing.Target;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WholeAnswerTest {

    private static final String CHAT_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o",
             "choices":[{"index":0,"message":{"role":"assistant","content":"hello","annotations":[{"type":"x"}]},
             "finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3},"service_tier":"flex"}""";

    private final Fixture fixture = new Fixture();

    private static UpstreamCall attempt(Call call, Translation translation, String provider) {
        Target target = call.targets().stream()
                .filter(t -> t.upstream().id().equals(provider))
                .findFirst()
                .orElseThrow();
        return new UpstreamCall(
                target,
                target.upstream().keys().get(0),
                new Permit(target.upstream().keys().get(0).id(), call.estimatedTokens(), false, 1),
                List.of(),
                translation.prepare(target),
                new TokenMeter(call.estimatedTokens(), call.inputEstimate(), call.reservedOutput()),
                true);
    }

    @Test
    void shouldReadTheUsageOfAnAnswerWhereverItLiesInItsBuffer() {
        UpstreamCodec codec = new OpenAiUpstreamCodec(OpenAiDialect.OPENAI);
        byte[] answer = CHAT_ANSWER.getBytes(StandardCharsets.UTF_8);
        Usage expected = codec.usageOf(answer);
        assertEquals(Usage.of(12, 3), expected);
        // A slice of a larger received buffer: its own array, at an offset, with bytes after it.
        String before = "[{\"x\":1},";
        Buffer received = Buffer.buffer(before).appendBytes(answer).appendString(",{");
        Buffer slice = received.slice(before.length(), before.length() + answer.length);
        assertEquals(expected, WholeAnswer.usageOf(codec, slice));
        assertEquals(expected, WholeAnswer.usageOf(codec, Buffer.buffer(answer)));
        // Off-heap, without an array: read from a copy.
        Buffer direct = BufferInternal.buffer(Unpooled.directBuffer().writeBytes(answer));
        assertEquals(expected, WholeAnswer.usageOf(codec, direct));
    }

    @Test
    void shouldRelayAnAnswerOfTheClientsProtocolAsSentAndChargeItsUsage() {
        Call call = fixture.admit(
                        Protocol.OPENAI_CHAT,
                        "{\"model\":\"on-openai\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .call();
        Translation translation = new Translation(call, null, FieldPolicy.ALLOW_ALL);
        Buffer answer = Buffer.buffer(CHAT_ANSWER);
        WholeAnswer.Relayed relayed = assertInstanceOf(
                WholeAnswer.Relayed.class,
                WholeAnswer.read(call, attempt(call, translation, "openai"), translation, answer));
        assertSame(answer, relayed.body(), "the provider's own bytes");
        assertEquals(12 + 5, relayed.charge(), "input plus the output reserved, the larger of it and what came");
    }

    @Test
    void shouldTranslateAnAnswerOfAnotherProtocol() {
        Call call = fixture.admit(
                        Protocol.ANTHROPIC,
                        "{\"model\":\"on-openai\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .call();
        Translation translation = new Translation(call, null, FieldPolicy.ALLOW_ALL);
        WholeAnswer.Relayed relayed = assertInstanceOf(
                WholeAnswer.Relayed.class,
                WholeAnswer.read(call, attempt(call, translation, "openai"), translation, Buffer.buffer(CHAT_ANSWER)));
        var body = Json.parseObject(relayed.body().getBytes());
        assertEquals("message", body.get("type").asText());
        assertEquals("hello", body.at("/content/0/text").asText());
        assertEquals(12, body.at("/usage/input_tokens").asInt());
    }

    @Test
    void shouldCallAnAnswerThatIsNoneMalformed() {
        Call call = fixture.admit(
                        Protocol.OPENAI_CHAT,
                        "{\"model\":\"on-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .call();
        Translation translation = new Translation(call, null, FieldPolicy.ALLOW_ALL);
        assertInstanceOf(
                WholeAnswer.Malformed.class,
                WholeAnswer.read(
                        call, attempt(call, translation, "openai"), translation, Buffer.buffer("<html>oops</html>")));
    }
}
