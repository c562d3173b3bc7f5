package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.auth.ClientKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntakeTest {

    private final Fixture fixture = new Fixture();

    private Intake.Result admit(Protocol protocol, Endpoint endpoint, String body, ClientKey key) {
        return fixture.intake()
                .admit(
                        Fixture.bytes(body),
                        new ClientRequest(fixture.client(protocol), endpoint, null, false),
                        key,
                        "req_1",
                        0)
                .result();
    }

    @Test
    void shouldMakeACallOfWhatRoutingAndLimitsNeed() {
        String body =
                "{\"model\":\"on-openai\",\"stream\":true,\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        Call call = fixture.admit(Protocol.OPENAI_CHAT, body).call();
        assertEquals("on-openai", call.route().name());
        assertEquals("on-openai", call.facts().model());
        assertTrue(call.facts().stream());
        assertEquals(100, call.facts().maxTokens());
        assertEquals((body.length() + 3) / 4 + 100, call.estimatedTokens(), "bytes / 4 plus the output allowance");
        assertEquals(
                List.of("openai"),
                call.targets().stream().map(t -> t.upstream().id()).toList());
    }

    /** Issue 15.1: a body for a provider of the client's own protocol is the provider's to judge, not the codec's. */
    @Test
    void shouldAdmitWhatOnlyTheProviderUnderstandsWithoutDecodingIt() {
        String body = """
                {"model":"on-anthropic","max_tokens":50,"future_field":{"a":1},"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"d"},"citations":{"enabled":true}},
                  {"type":"future_block"}]}]}""";
        Intake.Admitted admitted = fixture.admit(Protocol.ANTHROPIC, body);
        assertEquals(50, admitted.call().facts().maxTokens());
        assertEquals(
                List.of("model", "max_tokens", "future_field", "messages"),
                admitted.call().fields());
        assertNull(admitted.tree(), "no tree of the whole body was built");
    }

    /**
     * A Responses turn for a provider that speaks Responses keeps its state there: nothing to resolve, so no tree of
     * the whole body; one for a provider of another protocol is resolved from the kept responses, on a tree.
     */
    @Test
    void shouldReadAResponsesTurnWholeOnlyWhenItsStateIsKeptHere() {
        String body = "{\"model\":\"%s\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"}],\"store\":true}";
        Intake.Admitted passed = fixture.admit(Protocol.OPENAI_RESPONSES, body.formatted("on-responses"));
        assertNull(passed.tree(), "no tree of the whole body was built");
        assertEquals(List.of("model", "input", "store"), passed.call().fields());
        assertArrayEquals(
                Fixture.bytes(body.formatted("on-responses")), passed.call().body(), "forwarded as sent");
        Intake.Admitted translated = fixture.admit(Protocol.OPENAI_RESPONSES, body.formatted("on-openai"));
        assertNotNull(translated.tree(), "the turn was resolved on its tree");
    }

    @Test
    void shouldNameTheFieldRoutingNeedsWhenItIsUnusable() {
        Intake.Refused refused = assertInstanceOf(
                Intake.Refused.class,
                admit(
                        Protocol.ANTHROPIC,
                        Endpoint.CHAT,
                        "{\"model\":\"on-anthropic\",\"max_tokens\":0}",
                        Fixture.ANYONE));
        assertEquals("max_tokens", refused.error().param());
        refused = assertInstanceOf(
                Intake.Refused.class,
                admit(
                        Protocol.OPENAI_CHAT,
                        Endpoint.CHAT,
                        "{\"model\":\"on-openai\",\"stream\":\"yes\"}",
                        Fixture.ANYONE));
        assertEquals("stream", refused.error().param());
    }

    @Test
    void shouldAssumeTheDefaultAllowanceWhenTheClientSetsNone() {
        String body = "{\"model\":\"on-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        Call call = fixture.admit(Protocol.OPENAI_CHAT, body).call();
        assertEquals((body.length() + 3) / 4 + fixture.config.routing().defaultMaxTokens(), call.estimatedTokens());
    }

    @Test
    void shouldAnswer404ForAnUnknownModelAnd403ForOneTheKeyMayNotUse() {
        Intake.Refused unknown = assertInstanceOf(
                Intake.Refused.class,
                admit(
                        Protocol.OPENAI_CHAT,
                        Endpoint.CHAT,
                        "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        Fixture.ANYONE));
        assertEquals(404, unknown.error().status());
        assertEquals("model", unknown.error().param());
        assertNull(unknown.model());
        Intake.Refused forbidden = assertInstanceOf(
                Intake.Refused.class,
                admit(
                        Protocol.OPENAI_CHAT,
                        Endpoint.CHAT,
                        "{\"model\":\"on-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        new ClientKey("narrow", List.of("on-anthropic"), null, null)));
        assertEquals(403, forbidden.error().status());
        assertEquals("on-openai", forbidden.model());
    }

    @Test
    void shouldRefuseABodyThatIsNotJsonNamingNoField() {
        Intake.Refused refused = assertInstanceOf(
                Intake.Refused.class, admit(Protocol.OPENAI_CHAT, Endpoint.CHAT, "{\"model\":", Fixture.ANYONE));
        assertEquals(400, refused.error().status());
    }

    @Test
    void shouldSendEmbeddingsOnlyToTargetsThatServeThem() {
        String body = "{\"model\":\"openai-then-anthropic\",\"input\":\"hello\"}";
        Intake.Admitted admitted = assertInstanceOf(
                Intake.Admitted.class, admit(Protocol.OPENAI_CHAT, Endpoint.EMBEDDINGS, body, Fixture.ANYONE));
        assertEquals(
                List.of("openai"),
                admitted.call().targets().stream().map(t -> t.upstream().id()).toList());
        Intake.Refused none = assertInstanceOf(
                Intake.Refused.class,
                admit(
                        Protocol.OPENAI_CHAT,
                        Endpoint.EMBEDDINGS,
                        "{\"model\":\"on-anthropic\",\"input\":\"hello\"}",
                        Fixture.ANYONE));
        assertEquals("model", none.error().param());
    }

    @Test
    void shouldCountTokensLocallyForAModelNoAnthropicProviderServes() {
        String body = "{\"model\":\"on-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"12345678\"}]}";
        Intake.Answered answered = assertInstanceOf(
                Intake.Answered.class, admit(Protocol.ANTHROPIC, Endpoint.COUNT_TOKENS, body, Fixture.ANYONE));
        assertEquals("{\"input_tokens\":2}", Fixture.text(answered.body()));
        Intake.Admitted forwarded = assertInstanceOf(
                Intake.Admitted.class,
                admit(
                        Protocol.ANTHROPIC,
                        Endpoint.COUNT_TOKENS,
                        body.replace("on-openai", "on-anthropic"),
                        Fixture.ANYONE));
        assertEquals(0, forwarded.call().estimatedTokens(), "counting tokens spends a request only");
    }
}
