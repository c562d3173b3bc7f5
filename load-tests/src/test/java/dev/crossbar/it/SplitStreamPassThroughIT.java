package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stream passed through reaches the client byte for byte however the provider's network cuts it: events split
 * anywhere across chunks (inside a multi-byte character, between a CR and its LF), several events in one chunk.
 * The provider here writes its stream in pieces of a given size (0: an event and a half, then the rest of the
 * second event), a few milliseconds apart, so each piece arrives as a chunk of its own. A Chat Completions stream
 * loses only the usage the gateway asked for on its own account.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SplitStreamPassThroughIT {

    /** {@link #pieceBytes} for pieces of an event and a half. */
    private static final int EVENT_AND_A_HALF = 0;

    private static final String CHAT_HEAD = "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"m\",\"choices\":";

    /** What the provider streams to a Chat Completions request that asked for usage. */
    private static final String CHAT_ASKED = "data: " + CHAT_HEAD
            + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\r\n\r\n"
            + "data: " + CHAT_HEAD + "[{\"index\":0,\"delta\":{\"content\":\"Olá ☃ 😀\"},\"finish_reason\":null}],"
            + "\"usage\":null}\n\n"
            + "data: " + CHAT_HEAD + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
            + "data: " + CHAT_HEAD
            + "[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4,\"total_tokens\":9}}\n\n"
            + "data: [DONE]\n\n";

    /** The same stream as the client, which did not ask for usage, reads it. */
    private static final String CHAT_UNASKED = "data: " + CHAT_HEAD
            + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\r\n\r\n"
            + "data: " + CHAT_HEAD + "[{\"index\":0,\"delta\":{\"content\":\"Olá ☃ 😀\"},\"finish_reason\":null}]}\n\n"
            + "data: " + CHAT_HEAD + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n";

    private static final String ANTHROPIC = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","model":"m",\
            "content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type":"ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Olá ☃ 😀"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},\
            "usage":{"output_tokens":4}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private final Vertx vertx = Vertx.vertx();
    private HttpServer upstream;
    private GatewayHarness gateway;
    private volatile int pieceBytes;

    @BeforeAll
    void start() throws Exception {
        upstream = vertx.createHttpServer(
                        new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    HttpServerResponse response =
                            request.response().setChunked(true).putHeader("content-type", "text/event-stream");
                    String stream = request.path().endsWith("/messages") ? ANTHROPIC : CHAT_ASKED;
                    writeInPieces(
                            response,
                            pieces(stream.getBytes(StandardCharsets.UTF_8)).iterator());
                }))
                .listen()
                .await(10, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + upstream.actualPort();
        gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited("sk-unused-0123456789", "openai")),
                TestConfig.providers(
                                TestProvider.at("split-openai", "openai", base + "/v1")
                                        .keys(ProviderKeyConfig.of("split-openai-key", "sk-split-one-0123456789")),
                                TestProvider.at("split-anthropic", "anthropic", base)
                                        .keys(ProviderKeyConfig.of("split-anthropic-key", "sk-ant-split-0123456789")))
                        .withNodeDefaults()
                        .models(
                                TestConfig.model("chat-model", "split-openai", "m"),
                                TestConfig.model("claude-model", "split-anthropic", "m"))
                        .maxAttempts(1),
                1);
    }

    /**
     * The stream cut into {@link #pieceBytes} bytes at a time; with {@link #EVENT_AND_A_HALF}, into pieces that
     * start where an event starts and end in the middle of the next one, then the rest of that one.
     */
    private List<byte[]> pieces(byte[] stream) {
        List<Integer> cuts = new ArrayList<>();
        if (pieceBytes == EVENT_AND_A_HALF) {
            List<Integer> ends = eventEnds(stream);
            for (int i = 1; i < ends.size(); i += 2) {
                int start = ends.get(i - 1);
                cuts.add(start + (ends.get(i) - start) / 2);
                cuts.add(ends.get(i));
            }
        } else {
            for (int at = pieceBytes; at < stream.length; at += pieceBytes) {
                cuts.add(at);
            }
        }
        cuts.add(stream.length);
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            if (cut > from) {
                pieces.add(Arrays.copyOfRange(stream, from, cut));
                from = cut;
            }
        }
        return pieces;
    }

    /** Where each event of the stream ends (after its empty line). */
    private static List<Integer> eventEnds(byte[] stream) {
        String text = new String(stream, StandardCharsets.ISO_8859_1); // one char a byte
        List<Integer> ends = new ArrayList<>();
        for (int i = text.indexOf("\n\n"); i >= 0; i = text.indexOf("\n\n", i + 2)) {
            ends.add(i + 2);
        }
        return ends;
    }

    /** Writes the pieces a few milliseconds apart, so each is a network chunk of its own, then ends. */
    private void writeInPieces(HttpServerResponse response, Iterator<byte[]> pieces) {
        if (!pieces.hasNext()) {
            response.end();
            return;
        }
        response.write(Buffer.buffer(pieces.next()));
        vertx.setTimer(3, id -> writeInPieces(response, pieces));
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "pieces of {0} bytes (0: an event and a half)")
    @ValueSource(ints = {EVENT_AND_A_HALF, 1, 2, 7, 64, 150, 1_000_000})
    void shouldGiveAChatClientTheStreamItWouldHaveHadHoweverItIsCut(int bytes) throws Exception {
        pieceBytes = bytes;
        Http.Reply r = Http.post(
                gateway.url() + "/v1/chat/completions",
                "{\"model\":\"chat-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Http.bearer(GatewayHarness.CLIENT_KEY));

        assertEquals(200, r.status(), r.body());
        assertEquals(CHAT_UNASKED, r.body());
    }

    @ParameterizedTest(name = "pieces of {0} bytes (0: an event and a half)")
    @ValueSource(ints = {EVENT_AND_A_HALF, 1, 3, 64, 150, 1_000_000})
    void shouldGiveAnAnthropicClientTheProvidersBytesHoweverTheyAreCut(int bytes) throws Exception {
        pieceBytes = bytes;
        Http.Reply r = Http.post(
                gateway.url() + "/v1/messages",
                "{\"model\":\"claude-model\",\"max_tokens\":50,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key",
                GatewayHarness.CLIENT_KEY,
                "anthropic-version",
                "2023-06-01");

        assertEquals(200, r.status(), r.body());
        assertEquals(ANTHROPIC, r.body());
    }
}
