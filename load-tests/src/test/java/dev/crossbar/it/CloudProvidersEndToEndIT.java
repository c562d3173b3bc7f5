package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.config.VertexConfig;
import dev.crossbar.it.ClientProtocol.Answer;
import dev.crossbar.it.Conversation.Call;
import dev.crossbar.it.Conversation.Calls;
import dev.crossbar.it.Conversation.Result;
import dev.crossbar.it.Conversation.Results;
import dev.crossbar.it.UpstreamProtocol.Sent;
import dev.crossbar.mock.KeyStats;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.SeenRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Azure OpenAI and Vertex AI behind one real node, through the mock's clouds, which check each credential as the
 * cloud does: Azure's {@code api-key} header or an Entra ID token the mock's token endpoint issued for the client
 * secret; for Vertex a Google access token the mock issued for a JWT it verified against the test service account's
 * public key. Every client protocol in front, plain and streamed, text and tools (the harness and the mock's
 * deterministic replies of {@link CrossProtocolEndToEndIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CloudProvidersEndToEndIT {

    private static final String CLIENT_KEY = "cloud-providers-client";
    private static final String PROJECT = "crossbar-test";
    private static final String LOCATION = "us-east5";
    private static final String ACCOUNT = "gateway@crossbar-test.iam.gserviceaccount.com";
    private static final String STRANGER = "stranger@crossbar-test.iam.gserviceaccount.com";
    /** Used by the renewal test alone, so its first token is fetched under the short lifetime. */
    private static final String RENEWING = "renewing@crossbar-test.iam.gserviceaccount.com";

    /** A cloud provider as the gateway is configured for it, and what the mock must have received. */
    enum Cloud {
        AZURE_KEY("azure-key", UpstreamProtocol.OPENAI, "gpt-4o", "prod-gpt4o", "azure-key-1"),
        AZURE_ENTRA("azure-entra", UpstreamProtocol.OPENAI, "gpt-4o-mini", "mini-deployment", "azure-app-secret-1"),
        AZURE_RESPONSES("azure-responses", UpstreamProtocol.RESPONSES, "gpt-5-mini", "gpt-5-mini", "azure-key-2"),
        VERTEX_GEMINI("vertex-gemini", UpstreamProtocol.GEMINI, "gemini-2.5-flash", "gemini-2.5-flash", ACCOUNT),
        VERTEX_CLAUDE("vertex-claude", UpstreamProtocol.ANTHROPIC, "claude-sonnet-4-5", "claude-sonnet-4-5", ACCOUNT);

        final String provider;
        final UpstreamProtocol protocol;
        final String upstreamModel;
        /** The model (an Azure deployment) the cloud is asked for. */
        final String wireModel;
        /** The mock's key: what the credential stands for. */
        final String secret;

        Cloud(String provider, UpstreamProtocol protocol, String upstreamModel, String wireModel, String secret) {
            this.provider = provider;
            this.protocol = protocol;
            this.upstreamModel = upstreamModel;
            this.wireModel = wireModel;
            this.secret = secret;
        }

        String model() {
            return "cloud-" + provider;
        }

        /** The path the cloud serves this call at. */
        String path(boolean stream) {
            String vertex = "/v1/projects/" + PROJECT + "/locations/" + LOCATION + "/publishers/";
            return switch (this) {
                case AZURE_KEY -> "/openai/deployments/" + wireModel + "/chat/completions";
                case AZURE_ENTRA -> "/openai/v1/chat/completions";
                case AZURE_RESPONSES -> "/openai/v1/responses";
                case VERTEX_GEMINI ->
                    vertex + "google/models/" + wireModel + (stream ? ":streamGenerateContent" : ":generateContent");
                case VERTEX_CLAUDE ->
                    vertex + "anthropic/models/" + wireModel + (stream ? ":streamRawPredict" : ":rawPredict");
            };
        }
    }

    @TempDir
    static Path dir;

    private GatewayHarness gateway;
    private KeyPair account;

    @BeforeAll
    void start() throws Exception {
        account = rsa();
        Path accountFile = serviceAccountFile("gateway.json", ACCOUNT, account);
        Path strangerFile = serviceAccountFile("stranger.json", STRANGER, rsa());
        KeyPair renewing = rsa();
        Path renewingFile = serviceAccountFile("renewing.json", RENEWING, renewing);
        List<MockKey> keys = new ArrayList<>(MockConfig.defaultKeys());
        keys.add(MockKey.unlimited("azure-key-1", MockKey.AZURE));
        keys.add(MockKey.unlimited("azure-key-2", MockKey.AZURE));
        keys.add(MockKey.unlimited("azure-app-secret-1", MockKey.AZURE));
        keys.add(MockKey.unlimited("azure-app-secret-2", MockKey.AZURE));
        keys.add(MockKey.unlimited("azure-limited-1", MockKey.AZURE).withRequestsPerWindow(2L));
        keys.add(MockKey.unlimited(ACCOUNT, MockKey.VERTEX));
        keys.add(MockKey.unlimited(STRANGER, MockKey.VERTEX));
        keys.add(MockKey.unlimited(RENEWING, MockKey.VERTEX));
        keys.add(MockKey.unlimited("azure-app-secret-3", MockKey.AZURE));
        gateway = new GatewayHarness(
                MockConfig.of(keys.toArray(MockKey[]::new)), config(accountFile, strangerFile, renewingFile), 1);
        gateway.mock().registerServiceAccount(ACCOUNT, account.getPublic());
        gateway.mock().registerServiceAccount(RENEWING, renewing.getPublic());
        // The stranger is known to the mock, but with another public key than the one its file signs with.
        gateway.mock().registerServiceAccount(STRANGER, rsa().getPublic());
    }

    /**
     * Azure OpenAI on the mock by resource key and by Entra ID (a wrong client secret, a revoked one, a limited key
     * among them) and Vertex AI by service account (the gateway's for both publishers, a stranger's, the renewal
     * test's): a model for each {@link Cloud} and for each failure.
     */
    static TestConfig config(Path accountFile, Path strangerFile, Path renewingFile) throws IOException {
        List<ModelConfig> models = new ArrayList<>();
        for (Cloud c : Cloud.values()) {
            models.add(TestConfig.model(c.model(), c.provider, c.upstreamModel));
        }
        models.add(TestConfig.model("wrong-secret", "azure-wrong-secret", "gpt-4o"));
        models.add(TestConfig.model("limited", "azure-limited", "gpt-4o"));
        models.add(TestConfig.model("stranger", "vertex-stranger", "gemini-2.5-flash"));
        models.add(TestConfig.model("renewing", "vertex-renewing", "gemini-2.5-flash"));
        models.add(TestConfig.model("revoked", "azure-revoked", "gpt-4o"));
        return TestConfig.providers(
                        azure("azure-key")
                                .azure("2024-10-21", Map.of("gpt-4o", "prod-gpt4o"))
                                .keys(ProviderKeyConfig.of("azure-key-1", "azure-key-1")),
                        azure("azure-entra")
                                .azure(null, Map.of("gpt-4o-mini", "mini-deployment"))
                                .entra("tenant-1", "app-1")
                                .keys(ProviderKeyConfig.of("entra-1", "azure-app-secret-1")),
                        azure("azure-responses")
                                .api("responses")
                                .keys(ProviderKeyConfig.of("azure-key-2", "azure-key-2")),
                        azure("azure-wrong-secret")
                                .entra("tenant-1", "app-1")
                                .keys(
                                        ProviderKeyConfig.of("entra-wrong", "not-the-app-secret"),
                                        ProviderKeyConfig.of("entra-right", "azure-app-secret-2")),
                        azure("azure-revoked")
                                .entra("tenant-1", "app-1")
                                .keys(ProviderKeyConfig.of("entra-revoked", "azure-app-secret-3")),
                        azure("azure-limited").keys(ProviderKeyConfig.of("azure-limited-1", "azure-limited-1")),
                        vertex("vertex-gemini", VertexConfig.GOOGLE, "sa-gemini", accountFile),
                        vertex("vertex-claude", VertexConfig.ANTHROPIC, "sa-claude", accountFile),
                        vertex("vertex-stranger", VertexConfig.GOOGLE, "sa-stranger", strangerFile),
                        vertex("vertex-renewing", VertexConfig.GOOGLE, "sa-renewing", renewingFile))
                .withNodeDefaults()
                .clientKeys(TestConfig.clientKey("test", CLIENT_KEY))
                .models(models.toArray(ModelConfig[]::new))
                .maxAttempts(3)
                .queueTimeout(Duration.ofSeconds(1));
    }

    private static TestProvider azure(String id) {
        return TestProvider.onMock(id, "azure-openai", "");
    }

    /** A vertex provider with one key: the service account's JSON key file. */
    private static TestProvider vertex(String id, String publisher, String keyId, Path serviceAccount)
            throws IOException {
        return TestProvider.onMock(id, "vertex", "/v1")
                .vertex(PROJECT, LOCATION, publisher)
                .keys(ProviderKeyConfig.of(
                        keyId, Files.readString(serviceAccount).strip()));
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (ClientProtocol c : ClientProtocol.values()) {
            for (Cloud cloud : Cloud.values()) {
                all.add(Arguments.of(c, cloud, false));
                all.add(Arguments.of(c, cloud, true));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldAnswerThroughTheCloud(ClientProtocol c, Cloud cloud, boolean stream) throws Exception {
        Exchange x = exchange(c, cloud, Conversation.ask("hello there world"), stream);
        assertEquals("echo: hello there world", x.answer.text(), x.answer.raw());
        assertEquals(Answer.STOP, x.answer.finish(), x.answer.raw());
        assertEquals(List.of("user"), x.sent.roles(), x.sent.toString());
        assertEquals(tokens("hello there world"), x.answer.inputTokens(), "input tokens as the mock counted them");
        assertEquals(tokens("echo: hello there world"), x.answer.outputTokens(), x.answer.raw());
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldCallAToolThroughTheCloudAndReadItsResult(ClientProtocol c, Cloud cloud, boolean stream)
            throws Exception {
        Conversation ask = Conversation.ask("Paris").withTools("get_weather", "get_time");
        Exchange first = exchange(c, cloud, ask, stream);
        assertEquals(Answer.TOOL_CALLS, first.answer.finish(), first.answer.raw());
        assertEquals(1, first.answer.calls().size(), first.answer.raw());
        Call call = first.answer.calls().get(0);
        assertEquals("get_weather", call.name(), first.answer.raw());
        assertEquals(List.of("get_weather", "get_time"), first.sent.tools(), first.sent.toString());

        String id = call.id() == null ? "call_1" : call.id();
        Conversation answered = ask.then(
                new Calls(List.of(new Call(id, call.name(), call.argumentsJson()))),
                new Results(List.of(new Result(id, "get_weather", "sunny, 21 degrees"))));
        Exchange second = exchange(c, cloud, answered, stream);
        assertEquals("tool said: sunny, 21 degrees", second.answer.text(), second.answer.raw());
        assertEquals(Answer.STOP, second.answer.finish(), second.answer.raw());
    }

    @Test
    void shouldForwardCountTokensToClaudeOnVertex() throws Exception {
        gateway.mock().reset();
        Http.Reply r = Http.post(
                gateway.url() + "/v1/messages/count_tokens",
                "{\"model\":\"" + Cloud.VERTEX_CLAUDE.model()
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"count these words please\"}]}",
                "x-api-key",
                CLIENT_KEY,
                "anthropic-version",
                "2023-06-01");
        assertEquals(200, r.status(), r.body());
        assertEquals(6, r.json().path("input_tokens").asInt(), "the mock's count: 24 characters / 4");
        SeenRequest seen = gateway.mock().lastRequest();
        assertEquals(
                "/v1/projects/" + PROJECT + "/locations/" + LOCATION
                        + "/publishers/anthropic/models/count-tokens:rawPredict",
                seen.path());
        assertEquals(Cloud.VERTEX_CLAUDE.wireModel, seen.json().path("model").asText());
    }

    @Test
    void shouldFetchOneEntraTokenAndReuseIt() throws Exception {
        gateway.mock().reset();
        for (int i = 0; i < 5; i++) {
            Http.Reply r = ClientProtocol.CHAT.send(
                    gateway.url(), CLIENT_KEY, Cloud.AZURE_ENTRA.model(), Conversation.ask("again " + i), false);
            assertEquals(200, r.status(), r.body());
        }
        // Earlier tests may have fetched the token already: then none is fetched now.
        assertTrue(gateway.mock().tokensIssuedTo(Cloud.AZURE_ENTRA.secret) <= 1, "the token is cached");
        assertEquals(
                5, gateway.mock().stats().keys().get(Cloud.AZURE_ENTRA.secret).served());
    }

    @Test
    void shouldRenewAnAccessTokenBeforeItExpiresWithoutFailingACall() throws Exception {
        gateway.mock().setTokenLifetime(Duration.ofSeconds(4));
        try {
            gateway.mock().reset();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int calls = 0;
            // Until Google issued a second token: the renewal happened while the first still worked.
            while (gateway.mock().tokensIssuedTo(RENEWING) < 2) {
                assertTrue(System.nanoTime() < deadline, "no second token within 15 s");
                Http.Reply r = ClientProtocol.CHAT.send(
                        gateway.url(), CLIENT_KEY, "renewing", Conversation.ask("renew " + calls), false);
                assertEquals(200, r.status(), "call " + calls + ": " + r.body());
                calls++;
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertEquals(
                    0, gateway.mock().stats().keys().get(RENEWING).unauthorized(), "no call went with an old token");
        } finally {
            gateway.mock().setTokenLifetime(Duration.ofHours(1));
        }
    }

    @Test
    void shouldFetchANewTokenWhenTheCloudRefusesTheCachedOne() throws Exception {
        gateway.mock().reset();
        Http.Reply first =
                ClientProtocol.CHAT.send(gateway.url(), CLIENT_KEY, "revoked", Conversation.ask("one"), false);
        assertEquals(200, first.status(), first.body());
        gateway.mock().revokeTokensOf("azure-app-secret-3");
        Http.Reply second =
                ClientProtocol.CHAT.send(gateway.url(), CLIENT_KEY, "revoked", Conversation.ask("two"), false);
        assertEquals(200, second.status(), "the same key with a new token: " + second.body());
        assertEquals(2, gateway.mock().tokensIssuedTo("azure-app-secret-3"));
        assertEquals(1, gateway.mock().stats().unknownKeyRequests(), "the revoked token was sent once");
        assertEquals(2, gateway.mock().stats().keys().get("azure-app-secret-3").served());
    }

    @Test
    void shouldSkipAKeyWhoseClientSecretEntraRefuses() throws Exception {
        gateway.mock().reset();
        for (int i = 0; i < 4; i++) {
            Http.Reply r = ClientProtocol.CHAT.send(
                    gateway.url(), CLIENT_KEY, "wrong-secret", Conversation.ask("who answers " + i), false);
            assertEquals(200, r.status(), r.body());
            assertFalse(r.body().contains("not-the-app-secret"), r.body());
        }
        assertEquals(4, gateway.mock().stats().keys().get("azure-app-secret-2").served());
        assertEquals(0, gateway.mock().tokensIssuedTo("not-the-app-secret"));
    }

    @Test
    void shouldRefuseInTheClientsShapeWhenTheServiceAccountsSignatureIsRefused() throws Exception {
        gateway.mock().reset();
        for (ClientProtocol c : ClientProtocol.values()) {
            Http.Reply r = c.send(gateway.url(), CLIENT_KEY, "stranger", Conversation.ask("hi"), false);
            assertNotEquals(200, r.status(), r.body());
            c.assertError(r, r.status());
            assertFalse(r.body().contains("PRIVATE KEY"), r.body());
        }
        assertEquals(0, gateway.mock().tokensIssuedTo(STRANGER));
        assertTrue(gateway.mock().requests().isEmpty(), "no call reached Vertex without a token");
    }

    @Test
    void shouldHoldBackAnAzureKeyAfterAzureSaysItIsOverItsLimit() throws Exception {
        gateway.mock().reset();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(ClientProtocol.CHAT
                    .send(gateway.url(), CLIENT_KEY, "limited", Conversation.ask("limit " + i), false)
                    .status());
        }
        assertEquals(List.of(200, 200), statuses.subList(0, 2), statuses.toString());
        assertTrue(statuses.subList(2, 5).stream().allMatch(s -> s == 429), statuses.toString());
        KeyStats stats = gateway.mock().stats().keys().get("azure-limited-1");
        assertTrue(
                stats.rateLimited() <= 1,
                "the gateway learned the limit from Azure's headers or its first 429, and held back: " + stats);
    }

    @Test
    void shouldSendTheAzureKeyOnlyInItsHeaderAndTheTokenOnlyAsABearer() throws Exception {
        exchange(ClientProtocol.CHAT, Cloud.AZURE_KEY, Conversation.ask("where is my key"), false);
        SeenRequest seen = gateway.mock().lastRequest();
        assertEquals("azure-key-1", seen.header("api-key"));
        assertNull(seen.header("authorization"), seen.headers().toString());
        assertEquals("api-version=2024-10-21", seen.query());

        exchange(ClientProtocol.CHAT, Cloud.AZURE_ENTRA, Conversation.ask("where is my token"), false);
        seen = gateway.mock().lastRequest();
        assertNull(seen.header("api-key"), seen.headers().toString());
        assertTrue(
                seen.header("authorization").startsWith("Bearer entra-"),
                seen.headers().toString());
        assertFalse(seen.bodyText().contains("azure-app-secret-1"), seen.bodyText());
    }

    // ---- harness ------------------------------------------------------------------------------------------

    private record Exchange(Answer answer, Sent sent) {}

    private Exchange exchange(ClientProtocol c, Cloud cloud, Conversation conv, boolean stream) throws Exception {
        gateway.mock().reset();
        Http.Reply r = c.send(gateway.url(), CLIENT_KEY, cloud.model(), conv, stream);
        Answer answer = c.read(r, stream);
        List<SeenRequest> seen = gateway.mock().requests();
        assertEquals(1, seen.size(), "one upstream call: " + r.body());
        SeenRequest raw = seen.get(0);
        assertEquals(cloud.path(stream), raw.path(), raw.query());
        Sent sent = cloud.protocol.read(raw);
        assertEquals(stream, sent.stream(), sent.toString());
        String auth = raw.header("authorization");
        switch (cloud) {
            case AZURE_KEY, AZURE_RESPONSES -> assertEquals(cloud.secret, raw.header("api-key"));
            default ->
                assertTrue(
                        auth != null && auth.startsWith("Bearer "),
                        raw.headers().toString());
        }
        if (cloud == Cloud.VERTEX_CLAUDE) {
            ObjectNode body = (ObjectNode) raw.json();
            assertEquals("vertex-2023-10-16", body.path("anthropic_version").asText(), sent.toString());
            assertFalse(body.has("model"), "the model is in the URL: " + sent);
            assertNull(raw.header("anthropic-version"), "Vertex takes the version in the body");
        } else {
            assertEquals(cloud.wireModel, sent.model(), sent.toString());
        }
        if (cloud == Cloud.AZURE_KEY) {
            assertEquals("api-version=2024-10-21", raw.query());
        }
        assertFalse(
                raw.headers().values().stream().anyMatch(v -> v.contains(CLIENT_KEY)),
                "the client key stays at the gateway: " + raw.headers());
        assertNotNull(answer, r.body());
        return new Exchange(answer, sent);
    }

    private static long tokens(String text) {
        return (text.length() + 3L) / 4;
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** A service account's JSON key as Google's console writes it. */
    private static Path serviceAccountFile(String name, String email, KeyPair pair) throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode json = Http.JSON
                .createObjectNode()
                .put("type", "service_account")
                .put("project_id", PROJECT)
                .put("private_key_id", "key-" + name)
                .put("private_key", pem)
                .put("client_email", email)
                .put("token_uri", "https://oauth2.googleapis.com/token");
        Path file = dir.resolve(name);
        Files.writeString(file, json.toString());
        return file;
    }
}
