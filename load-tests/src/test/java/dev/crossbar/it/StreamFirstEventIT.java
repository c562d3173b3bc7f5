package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A streamed answer's head and first event reach the client as soon as the upstream sent its own first event
 * (issue 18 point 4, first byte added): the mock providers answer every stream with their head and first event and
 * then fall silent, and the client must read a whole event of its protocol long before the node's stream idle
 * timeout, through a real node, for each client protocol against each upstream protocol ({@link #pairs} says which).
 * A node that waited for more than the first upstream event before writing (a second event, a fuller buffer, the
 * end) fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamFirstEventIT {

    private static final String KEY = "pass-client";
    private static final List<String> SECRETS =
            List.of("mock-anthropic-1", "mock-openai-1", "mock-openai-2", "mock-gemini-1");
    /** The node's stream idle timeout (the providers' default): the upstream sends nothing more before it. */
    private static final Duration IDLE = Duration.ofSeconds(60);
    /** How long the client may wait for its first event: far under {@link #IDLE}, far over a loaded box's delays. */
    private static final Duration FIRST_EVENT_WITHIN = Duration.ofSeconds(10);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(
                MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)), SameProtocolPassThroughIT.config(), 1);
        for (String secret : SECRETS) {
            gateway.mock()
                    .setKeyFaults(secret, FaultPlan.builder().stallShare(1.0).build());
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    /**
     * Every client protocol against every upstream protocol but a Gemini client of another protocol's upstream: a
     * Gemini stream has no event for its start (its first event carries the first content), so what such a client
     * hears first waits, by its protocol, for the upstream's first content event, which here never comes.
     */
    static Stream<Arguments> pairs() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (String client : List.of("chat", "responses", "anthropic", "gemini")) {
            for (String upstream : List.of("on-openai", "on-responses", "on-anthropic", "on-gemini")) {
                if (!client.equals("gemini") || upstream.equals("on-gemini")) {
                    all.add(Arguments.of(client, upstream));
                }
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void shouldRelayTheHeadAndFirstEventBeforeTheUpstreamSendsItsSecond(String client, String model) throws Exception {
        HttpResponse<InputStream> response = CLIENT.sendAsync(
                        request(client, model), HttpResponse.BodyHandlers.ofInputStream())
                .get(FIRST_EVENT_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        try (InputStream body = response.body()) {
            assertEquals(200, response.statusCode());
            assertTrue(
                    response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"),
                    "an event stream: " + response.headers().map());
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> firstEvent(body));
            String event = first.get(FIRST_EVENT_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(event.contains("data:"), "a whole event of the client's protocol: " + event);
        }
    }

    /** Reads up to the end of the first SSE event (its blank line). */
    private static String firstEvent(InputStream body) {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = body.read()) >= 0) {
                read.write(b);
                String text = read.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
                if (text.contains("\n\n")) {
                    return text;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the stream ended before its first event: " + read.toString(StandardCharsets.UTF_8));
    }

    private HttpRequest request(String client, String model) {
        String base = gateway.url();
        HttpRequest.Builder b = switch (client) {
            case "chat" ->
                HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                        .header("authorization", "Bearer " + KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}"));
            case "responses" ->
                HttpRequest.newBuilder(URI.create(base + "/v1/responses"))
                        .header("authorization", "Bearer " + KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"" + model + "\",\"input\":\"Hi\",\"stream\":true}"));
            case "anthropic" ->
                HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                        .header("x-api-key", KEY)
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                                + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                                + "\"stream\":true}"));
            case "gemini" ->
                HttpRequest.newBuilder(URI.create(base + "/v1beta/models/" + model + ":streamGenerateContent?alt=sse"))
                        .header("x-goog-api-key", KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}"));
            default -> throw new IllegalArgumentException(client);
        };
        return b.header("content-type", "application/json")
                .timeout(IDLE.multipliedBy(2))
                .build();
    }
}
