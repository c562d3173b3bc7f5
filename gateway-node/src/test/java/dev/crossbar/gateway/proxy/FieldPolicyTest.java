package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.auth.ClientKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldPolicyTest {

    private static final String YAML = """
            clientKeys:
              - { name: app, key: client-secret-1 }
              - name: careful
                key: client-secret-2
                bodyFields: { deny: [user, metadata], action: refuse }
            providers:
              - id: openai
                type: openai
                baseUrl: http://127.0.0.1:9/v1
                keys: [ { id: openai-1, secret: sk-openai-1 } ]
              - id: strict
                type: openai
                baseUrl: http://127.0.0.1:9/v1
                keys: [ { id: strict-1, secret: sk-strict-1 } ]
                bodyFields: { allow: [messages, max_tokens, store] }
            models:
              - { name: on-openai, targets: [ { provider: openai, model: gpt-4o } ] }
              - { name: on-strict, targets: [ { provider: strict, model: gpt-4o } ] }
            """;

    private final Fixture fixture = new Fixture(YAML);
    private final FieldPolicy policy = FieldPolicy.of(fixture.config);

    private Call call(String body, String clientKey) {
        ClientKey key = new ClientKey(clientKey, List.of("*"), null, null);
        Intake.Result result = fixture.intake()
                .admit(Fixture.bytes(body), fixture.chat(Protocol.OPENAI_CHAT), key, "req_1", 0)
                .result();
        return ((Intake.Admitted) result).call();
    }

    private FieldPolicy.Applied apply(Call call) {
        return policy.apply(call, call.targets().get(0));
    }

    @Test
    void shouldLeaveABodyWithNothingRefusedAsItCame() {
        Call call = call("{\"model\":\"on-openai\",\"messages\":[],\"future\":{\"x\":1}}", "app");
        FieldPolicy.Applied applied = apply(call);
        assertSame(call.body(), applied.body());
        assertNull(applied.dropped());
    }

    @Test
    void shouldDropWhatTheDefaultsDenyAndNameIt() throws Exception {
        Call call = call(
                "{\"model\":\"on-openai\", \"service_tier\":\"priority\",\"messages\":[{\"a\":1}],"
                        + "\"background\":true , \"user\":\"u\"}",
                "app");
        FieldPolicy.Applied applied = apply(call);
        assertEquals("service_tier,background", applied.dropped());
        assertEquals(
                Json.MAPPER.readTree("{\"model\":\"on-openai\",\"messages\":[{\"a\":1}],\"user\":\"u\"}"),
                Json.MAPPER.readTree(applied.body()));
    }

    @Test
    void shouldSendOnlyWhatAnAllowListNames() throws Exception {
        Call call = call("{\"model\":\"on-strict\",\"messages\":[],\"max_tokens\":5,\"store\":true}", "careful");
        assertNull(apply(call).dropped(), "store is on the allow-list and careful does not deny it");
        Call other = call("{\"model\":\"on-strict\",\"store\":true,\"messages\":[],\"metadata\":{}}", "app");
        FieldPolicy.Applied applied = apply(other);
        assertEquals("metadata", applied.dropped(), "not on the provider's allow-list");
        JsonNode body = Json.MAPPER.readTree(applied.body());
        assertEquals(true, body.get("store").booleanValue());
    }

    @Test
    void shouldNarrowTheProvidersListByTheClientKeysAndRefuseAsItSays() {
        Call call = call("{\"model\":\"on-openai\",\"messages\":[],\"metadata\":{\"a\":\"b\"}}", "careful");
        CodecException refused = assertThrows(CodecException.class, () -> apply(call));
        assertEquals(400, refused.error().status());
        assertEquals("metadata", refused.error().param());
        assertNull(apply(call("{\"model\":\"on-openai\",\"messages\":[],\"metadata\":{}}", "app"))
                .dropped());
    }

    @Test
    void shouldSendFalseForAStoreThePolicyRefuses() throws Exception {
        Fixture denying = new Fixture(YAML.replace("allow: [messages, max_tokens, store]", "deny: [store]"));
        Call call = ((Intake.Admitted) denying.intake()
                        .admit(
                                Fixture.bytes("{\"model\":\"on-strict\",\"store\":true,\"messages\":[]}"),
                                denying.chat(Protocol.OPENAI_CHAT),
                                Fixture.ANYONE,
                                "req_1",
                                0)
                        .result())
                .call();
        FieldPolicy.Applied applied =
                FieldPolicy.of(denying.config).apply(call, call.targets().get(0));
        assertEquals("store", applied.dropped());
        assertEquals(false, Json.MAPPER.readTree(applied.body()).get("store").booleanValue());
        assertEquals(Endpoint.CHAT, call.endpoint());
    }
}
