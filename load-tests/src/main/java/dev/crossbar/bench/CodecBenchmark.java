package dev.crossbar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.anthropic.AnthropicUpstreamCodec;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.TopLevel;
import dev.crossbar.codecs.json.TopLevelScan;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.openai.OpenAiChatClientCodec;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.openai.UnaskedUsageFilter;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.RequestFacts;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the codecs cost a node per request, measured as the proxy uses them (Intake, Translation, StreamRelay):
 * <ul>
 *   <li>{@code chatToAnthropic}: a typical ~1 KB Chat Completions request body (system prompt, four
 *       turns, a tool) parsed, decoded to canonical and encoded as an Anthropic upstream body;
 *   <li>{@code chatPassthrough}: the same body for an OpenAI upstream, as the node passes it through:
 *       parsed and decoded (for routing and validation), the model spliced into the bytes, and the usage
 *       read from a typical ~1 KB answer (the path before issue 15's pass-through);
 *   <li>{@code passThroughPath}: what a node does to that body today (Intake's facts read at the top level,
 *       the model spliced, the answer's usage read), without the canonical decode;
 *   <li>{@code answerUsage}: the usage read from that answer alone ({@code TopLevelScan});
 *   <li>{@code streamedChatForward}: that body asking for a stream, as a node forwards it to an OpenAI upstream:
 *       its facts read, the model spliced and {@code stream_options.include_usage} added;
 *   <li>{@code anthropicStreamToChat}: a 1,000-event Anthropic SSE reply (one event per network chunk)
 *       decoded and re-encoded as Chat Completions chunks, per whole stream;
 *   <li>{@code anthropicStreamDecode}: the same reply decoded only, as a node does to a stream it passes
 *       through (its events read for errors, usage and the end; the upstream's bytes go out as they came);
 *   <li>{@code chatStreamPassThrough}: a 1,000-chunk Chat Completions reply with the usage the gateway asked for
 *       on its own account, as a node passes it through: each chunk decoded, and the usage taken back out of it.
 * </ul>
 * Run after {@code mvn -B -q -pl load-tests -am package -DskipTests}, from the repository root:
 * <pre>
 * java -cp "load-tests/target/classes:load-tests/target/lib/*" org.openjdk.jmh.Main CodecBenchmark -prof gc
 * </pre>
 * The annotations give a short run (5 x 2 s warm-up, 5 x 1 s measured, 1 fork); add {@code -wi 5 -i 10 -f 3}
 * on a quiet machine. {@code gc.alloc.rate.norm} is the bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class CodecBenchmark {

    /** Text deltas in the streamed reply; with its 5 framing events and a ping, the stream has 1,000. */
    static final int TEXT_DELTAS = 994;

    private final OpenAiChatClientCodec chatClient = new OpenAiChatClientCodec();
    private final AnthropicUpstreamCodec anthropicUpstream = new AnthropicUpstreamCodec();
    private final OpenAiUpstreamCodec openAiUpstream = new OpenAiUpstreamCodec(OpenAiDialect.OPENAI);
    private byte[] chatRequest;
    private byte[] chatAnswer;
    private byte[] streamedChatRequest;
    private ChatRequest streamedRequest;
    private List<byte[]> anthropicStream;
    private List<byte[]> chatStream;
    private final UnaskedUsageFilter unaskedUsage = new UnaskedUsageFilter();

    @Setup
    public void setUp() {
        chatRequest = typicalChatRequest().getBytes(StandardCharsets.UTF_8);
        chatAnswer = typicalChatAnswer().getBytes(StandardCharsets.UTF_8);
        streamedChatRequest = typicalChatRequest()
                .replace("\"stream\":false", "\"stream\":true")
                .getBytes(StandardCharsets.UTF_8);
        streamedRequest = chatClient.decodeRequest(Json.parseObject(chatRequest), null, false);
        anthropicStream = anthropicStream(TEXT_DELTAS);
        chatStream = chatStreamWithUsage(TEXT_DELTAS + 4);
    }

    @Benchmark
    public byte[] chatToAnthropic() {
        ObjectNode body = Json.parseObject(chatRequest);
        ChatRequest canonical = chatClient.decodeRequest(body, null, false);
        UpstreamRequest upstream = anthropicUpstream.encodeRequest(canonical, "claude-sonnet-4-5");
        return upstream.body();
    }

    @Benchmark
    public Usage chatPassthrough(Blackhole bh) {
        ObjectNode body = Json.parseObject(chatRequest);
        ChatRequest canonical = chatClient.decodeRequest(body, null, false);
        bh.consume(TopLevelScan.withModel(
                chatRequest, canonical.model().equals("gpt-4o") ? "gpt-4o-2024-08-06" : "gpt-4o"));
        return openAiUpstream.usageOf(chatAnswer);
    }

    /** What a node does to a pass-through chat call: the request's facts read, its model spliced, the usage read. */
    @Benchmark
    public Usage passThroughPath(Blackhole bh) {
        TopLevel top = TopLevel.read(chatRequest, chatClient.factMembers());
        bh.consume(top);
        bh.consume(TopLevelScan.withModel(chatRequest, "gpt-4o-2024-08-06"));
        return openAiUpstream.usageOf(chatAnswer);
    }

    @Benchmark
    public byte[] streamedChatForward() {
        TopLevel top = TopLevel.read(streamedChatRequest, chatClient.factMembers());
        RequestFacts facts = chatClient.readFacts(top.members(), null, false).withModelSpan(top.model());
        return openAiUpstream
                .forward(Endpoint.CHAT, streamedChatRequest, facts, "gpt-4o-2024-08-06")
                .request()
                .body();
    }

    @Benchmark
    public JsonNode answerUsage() {
        return TopLevelScan.member(chatAnswer, "usage", "choices");
    }

    @Benchmark
    public void anthropicStreamToChat(Blackhole bh) {
        ClientStreamEncoder encoder = chatClient.streamEncoder(streamedRequest);
        relay(
                anthropicUpstream.streamDecoder(),
                anthropicStream,
                event -> bh.consume(encoder.encode(event).getBytes(StandardCharsets.UTF_8)),
                chunk -> {});
    }

    @Benchmark
    public void anthropicStreamDecode(Blackhole bh) {
        relay(anthropicUpstream.streamDecoder(), anthropicStream, bh::consume, chunk -> {});
    }

    @Benchmark
    public void chatStreamPassThrough(Blackhole bh) {
        relay(
                openAiUpstream.streamDecoder(),
                chatStream,
                bh::consume,
                chunk -> bh.consume(unaskedUsage.filter(chunk, 0, chunk.length)));
    }

    /** Feeds {@code chunks} to {@code decoder} as a relay does: its events to {@code events}, then each chunk to {@code passed}. */
    private static void relay(
            UpstreamStreamDecoder decoder, List<byte[]> chunks, Consumer<StreamEvent> events, Consumer<byte[]> passed) {
        for (byte[] chunk : chunks) {
            decoder.decode(chunk, 0, chunk.length, events);
            passed.accept(chunk);
        }
        decoder.end(events);
    }

    /** About 1 KB: what a chat client with a short history and one tool sends. */
    static String typicalChatRequest() {
        return """
                {"model":"gpt-4o","temperature":0.7,"max_tokens":512,"stream":false,
                 "messages":[
                  {"role":"system","content":"You are a helpful assistant for a travel agency. Answer briefly, in the language of the question, and use the tools when the user asks about the weather."},
                  {"role":"user","content":"Hello! I am planning a trip to Lisbon in early May with two friends. What should we pack?"},
                  {"role":"assistant","content":"Early May in Lisbon is mild: pack light layers, a light jacket for the evenings, comfortable walking shoes for the hills, and sunscreen."},
                  {"role":"user","content":"Great, thanks. And what is the weather like there right now? We might go earlier."}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"The current weather in a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string","description":"the city name"},
                   "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}}}],
                 "tool_choice":"auto","user":"user-1234"}""";
    }

    /** A chat.completion answer of about 1 KB, as a provider sends it. */
    static String typicalChatAnswer() {
        return """
                {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion","created":1741570283,
                 "model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant",
                 "content":"Early May in Lisbon is usually mild and sunny, 17-22 degrees in the day and cooler in the evening. Pack light layers, a light jacket or sweater for the evenings, comfortable shoes for the hills and cobblestones, sunglasses and sunscreen. A small umbrella is worth it: spring showers are short but they do come. If you go earlier, expect a few more rainy days and slightly cooler nights.",
                 "refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":182,"completion_tokens":96,"total_tokens":278,
                  "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
                  "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,
                  "rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_fc9f1d7035"}""";
    }

    /**
     * A Chat Completions SSE reply of {@code chunks} chunks asked for with {@code stream_options.include_usage}
     * ({@code "usage":null} on each, the usage chunk and {@code [DONE]} after them), one event per network chunk.
     */
    static List<byte[]> chatStreamWithUsage(int chunks) {
        String head = "data: {\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1741570283,\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_fc9f1d7035\",\"choices\":";
        String[] words = {" the", " weather", " in", " Lisbon", " is", " sunny", ",", " with", " a", " light", " breeze"
        };
        List<String> events = new ArrayList<>();
        events.add(head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        for (int i = 0; i < chunks - 2; i++) {
            events.add(head + "[{\"index\":0,\"delta\":{\"content\":\"" + words[i % words.length]
                    + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        events.add(
                head + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        events.add(head + "[],\"usage\":{\"prompt_tokens\":182,\"completion_tokens\":" + chunks + ",\"total_tokens\":"
                + (182 + chunks) + "}}\n\n");
        events.add("data: [DONE]\n\n");
        List<byte[]> out = new ArrayList<>(events.size());
        events.forEach(e -> out.add(e.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    /** An Anthropic SSE reply of {@code deltas} text deltas, one event per chunk as a network would bring it. */
    static List<byte[]> anthropicStream(int deltas) {
        List<String> events = new ArrayList<>();
        events.add(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":242,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n");
        events.add("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        events.add("event: ping\ndata: {\"type\":\"ping\"}\n\n");
        String[] words = {" the", " weather", " in", " Lisbon", " is", " sunny", ",", " with", " a", " light", " breeze"
        };
        for (int i = 0; i < deltas; i++) {
            events.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + words[i % words.length] + "\"}}\n\n");
        }
        events.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        events.add("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + deltas + "}}\n\n");
        events.add("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        List<byte[]> chunks = new ArrayList<>(events.size());
        events.forEach(e -> chunks.add(e.getBytes(StandardCharsets.UTF_8)));
        return chunks;
    }
}
