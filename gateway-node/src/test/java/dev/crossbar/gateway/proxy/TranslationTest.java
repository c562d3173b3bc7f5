package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.routing.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranslationTest {

    private static final String DOCUMENT = """
            {"model":"anthropic-then-openai","max_tokens":100,"messages":[{"role":"user","content":[
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}},
              {"type":"text","text":"Summarise it."}]}]}""";

    private static final String WEB_SEARCH = """
            {"model":"refusing","input":"news?","tools":[{"type":"web_search"}]}""";

    private final Fixture fixture = new Fixture();

    private static Target target(Call call, String provider) {
        return call.targets().stream()
                .filter(t -> t.upstream().id().equals(provider))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void shouldGiveAProviderOfTheClientsProtocolTheBodyAsSentButForTheModel() {
        Call call = fixture.admit(
                        Protocol.OPENAI_CHAT,
                        "{\"model\":\"on-openai\", \"messages\":[{\"role\":\"user\","
                                + "\"content\":\"hi\"}], \"future_field\":{\"x\":1}}")
                .call();
        Translation translation = new Translation(call, null, FieldPolicy.ALLOW_ALL);
        Target openai = target(call, "openai");
        assertNull(translation.refusalFor(openai));
        Translation.Prepared prepared = translation.prepare(openai);
        assertTrue(prepared.passthrough());
        assertEquals(
                "{\"model\":\"gpt-4o\", \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}], \"future_field\":{\"x\":1}}",
                Fixture.text(prepared.request().body()));
        assertEquals("/chat/completions", prepared.request().path());
    }

    @Test
    void shouldKeepABodyNoTranslationCarriesFromTargetsOfOtherProtocols() {
        Call call = new Call(
                "req_1",
                fixture.chat(Protocol.ANTHROPIC),
                Fixture.ANYONE,
                fixture.routes.resolve("anthropic-then-openai"),
                fixture.routes.resolve("anthropic-then-openai").targets(),
                Fixture.bytes(DOCUMENT),
                new dev.crossbar.codecs.spi.RequestFacts("anthropic-then-openai", false, 100, false),
                List.of(),
                100,
                0,
                Long.MAX_VALUE);
        Translation translation = new Translation(call, null, FieldPolicy.ALLOW_ALL);
        assertNull(translation.refusalFor(target(call, "anthropic")), "Anthropic takes its own document blocks");
        ApiError refusal = translation.refusalFor(target(call, "openai"));
        assertNotNull(refusal);
        assertEquals(400, refusal.status());
        assertEquals("messages[0].content[0].type", refusal.param(), refusal.message());
        Translation.Prepared prepared = translation.prepare(target(call, "anthropic"));
        assertEquals(
                Json.parseObject(Fixture.bytes(DOCUMENT.replace("anthropic-then-openai", "claude-sonnet-4-5"))),
                Json.parseObject(prepared.request().body()));
    }

    @Test
    void shouldTranslateForAProviderOfAnotherProtocol() {
        Call call = fixture.admit(
                        Protocol.OPENAI_CHAT,
                        "{\"model\":\"openai-then-anthropic\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .call();
        Translation translation = new Translation(call, null, FieldPolicy.ALLOW_ALL);
        Target anthropic = target(call, "anthropic");
        assertNull(translation.refusalFor(anthropic));
        Translation.Prepared prepared = translation.prepare(anthropic);
        assertFalse(prepared.passthrough());
        assertEquals("/messages", prepared.request().path());
        var sent = Json.parseObject(prepared.request().body());
        assertEquals("claude-sonnet-4-5", sent.get("model").asText());
        var content = sent.at("/messages/0/content");
        assertEquals(
                "hi",
                content.isTextual() ? content.asText() : content.at("/0/text").asText(),
                sent.toString());
    }

    @Test
    void shouldRefuseBuiltinToolsOnlyToTranslatingTargetsOfAModelThatRefusesThem() {
        Call call = fixture.admit(Protocol.OPENAI_RESPONSES, WEB_SEARCH).call();
        Translation translation = new Translation(call, null, FieldPolicy.ALLOW_ALL);
        ApiError refusal = translation.refusalFor(target(call, "openai"));
        assertNotNull(refusal);
        assertEquals("tools[0]", refusal.param());
        assertNull(translation.refusalFor(target(call, "responses")), "the Responses provider runs it itself");
    }

    @Test
    void shouldNameTheBuiltinToolsATranslatedCallGoesWithout() {
        Call call = fixture.admit(Protocol.OPENAI_RESPONSES, WEB_SEARCH.replace("refusing", "on-anthropic"))
                .call();
        Translation translation = new Translation(call, null, FieldPolicy.ALLOW_ALL);
        Translation.Prepared prepared = translation.prepare(target(call, "anthropic"));
        assertEquals("web_search", prepared.droppedTools());
        assertFalse(Json.parseObject(prepared.request().body()).has("tools"));
    }

    @Test
    void shouldApplyTheFieldPolicyToForwardedBodiesOnly() {
        Call call = fixture.admit(
                        Protocol.OPENAI_CHAT,
                        "{\"model\":\"openai-then-anthropic\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                                + "\"service_tier\":\"priority\"}")
                .call();
        Translation translation = new Translation(call, null, FieldPolicy.of(fixture.config));
        Translation.Prepared forwarded = translation.prepare(target(call, "openai"));
        assertFalse(Fixture.text(forwarded.request().body()).contains("service_tier"));
        assertEquals("service_tier", forwarded.droppedFields());
        assertNull(
                translation.prepare(target(call, "anthropic")).droppedFields(), "a translation carries no such field");
    }
}
