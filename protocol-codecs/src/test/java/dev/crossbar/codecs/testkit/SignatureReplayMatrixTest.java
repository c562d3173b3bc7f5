package dev.crossbar.codecs.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.anthropic.AnthropicClientCodec;
import dev.crossbar.codecs.anthropic.AnthropicUpstreamCodec;
import dev.crossbar.codecs.bedrock.BedrockUpstreamCodec;
import dev.crossbar.codecs.gemini.GeminiClientCodec;
import dev.crossbar.codecs.gemini.GeminiUpstreamCodec;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.openai.OpenAiChatClientCodec;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.responses.OpenAiResponsesClientCodec;
import dev.crossbar.codecs.responses.OpenAiResponsesUpstreamCodec;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.UpstreamCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair, for every family that signs reasoning: a reply whose reasoning a provider signed reaches a
 * client of each protocol, the client replays its turn, and each upstream encoder gets the signature (and
 * redacted thinking) back exactly when it is the provider that issued it, and nothing of it otherwise.
 * Chat Completions has no field for signatures, so nothing survives a Chat client's replay.
 */
class SignatureReplayMatrixTest {

    /** The opaque values each family issues, as its upstream decoder reads them. */
    private static final Map<Issuer, List<ContentPart>> SIGNED = Map.of(
            Issuer.ANTHROPIC,
            List.of(
                    new ContentPart.Thinking("Claude reasoned.", "ErUBCkYIBRgCanthropic", Issuer.ANTHROPIC),
                    new ContentPart.RedactedThinking("EmwKAhgBanthropicredacted", Issuer.ANTHROPIC)),
            Issuer.GEMINI,
            List.of(new ContentPart.Thinking("", "CiQB0e2Kbgemini", Issuer.GEMINI)),
            Issuer.OPENAI,
            List.of(new ContentPart.Thinking("OpenAI reasoned.", "rs_openai1 gAAAAABopenaienc", Issuer.OPENAI)));

    /** Strings that appear on the wire only when that family's values are replayed. */
    private static final Map<Issuer, List<String>> MARKERS = Map.of(
            Issuer.ANTHROPIC, List.of("ErUBCkYIBRgCanthropic", "EmwKAhgBanthropicredacted"),
            Issuer.GEMINI, List.of("CiQB0e2Kbgemini"),
            Issuer.OPENAI, List.of("gAAAAABopenaienc", "rs_openai1"));

    private static final Map<Protocol, ClientCodec> CLIENTS = Map.of(
            Protocol.OPENAI_CHAT, new OpenAiChatClientCodec(),
            Protocol.OPENAI_RESPONSES, new OpenAiResponsesClientCodec(),
            Protocol.ANTHROPIC, new AnthropicClientCodec(),
            Protocol.GEMINI, new GeminiClientCodec());

    private static final Map<Protocol, UpstreamCodec> UPSTREAMS = Map.of(
            Protocol.OPENAI_CHAT, new OpenAiUpstreamCodec(OpenAiDialect.OPENAI),
            Protocol.OPENAI_RESPONSES, new OpenAiResponsesUpstreamCodec(),
            Protocol.ANTHROPIC, new AnthropicUpstreamCodec(),
            Protocol.GEMINI, new GeminiUpstreamCodec(),
            Protocol.BEDROCK_CONVERSE, new BedrockUpstreamCodec());

    private static final Map<Protocol, Issuer> FAMILY = Map.of(
            Protocol.OPENAI_RESPONSES,
            Issuer.OPENAI,
            Protocol.ANTHROPIC,
            Issuer.ANTHROPIC,
            Protocol.GEMINI,
            Issuer.GEMINI);

    static Stream<Arguments> pairs() {
        List<Arguments> all = new ArrayList<>();
        for (Issuer issuer : Issuer.values()) {
            for (Protocol client : Protocol.values()) {
                if (!CLIENTS.containsKey(client)) {
                    continue;
                }
                for (Protocol upstream : Protocol.values()) {
                    all.add(Arguments.of(issuer, client, upstream));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "signed by {0}, through a {1} client, to a {2} upstream")
    @MethodSource("pairs")
    void shouldReplayASignatureOnlyToTheFamilyThatIssuedIt(Issuer issuer, Protocol client, Protocol upstream)
            throws Exception {
        List<ContentPart> reply = new ArrayList<>(SIGNED.get(issuer));
        reply.add(new ContentPart.Text("Checking."));
        reply.add(new ContentPart.ToolCall("call_m1", "lookup", "{\"q\":\"x\"}"));
        ChatResponse answer = new ChatResponse("msg_m1", "m", reply, FinishReason.TOOL_CALLS, null, Usage.of(5, 5), 1);

        ClientCodec codec = CLIENTS.get(client);
        JsonNode wire = Json.MAPPER.readTree(
                codec.encodeResponse(answer, ChatRequest.builder("m").build()));
        ChatRequest replayed = codec.decodeRequest(replay(client, wire), "m", false);

        if (client != Protocol.OPENAI_CHAT) {
            List<ContentPart> reasoning = replayed.messages().get(1).parts().stream()
                    .filter(p -> p instanceof ContentPart.Thinking || p instanceof ContentPart.RedactedThinking)
                    .filter(p -> !(p instanceof ContentPart.Thinking th && th.signature() == null))
                    .toList();
            assertEquals(SIGNED.get(issuer), reasoning, "the client's replay gives the issuer's values back");
        }

        String body =
                new String(UPSTREAMS.get(upstream).encodeRequest(replayed, "m").body(), StandardCharsets.UTF_8);
        boolean replays = client != Protocol.OPENAI_CHAT && FAMILY.get(upstream) == issuer;
        for (String marker : MARKERS.get(issuer)) {
            assertEquals(replays, body.contains(marker), marker + " in " + body);
        }
        assertFalse(body.contains(SignatureEnvelope.SEALED_PREFIX), "nothing sealed goes upstream: " + body);
    }

    /** The client's next request: the question, its own reply as it replays it, and the tool's result. */
    private static JsonNode replay(Protocol client, JsonNode reply) {
        ObjectNode body = Json.NODES.objectNode().put("model", "m");
        switch (client) {
            case OPENAI_CHAT -> {
                ArrayNode messages = body.putArray("messages");
                messages.addObject().put("role", "user").put("content", "q");
                messages.add(reply.at("/choices/0/message"));
                messages.addObject()
                        .put("role", "tool")
                        .put(
                                "tool_call_id",
                                reply.at("/choices/0/message/tool_calls/0/id").asText())
                        .put("content", "r");
            }
            case OPENAI_RESPONSES -> {
                ArrayNode input = body.putArray("input");
                input.addObject().put("role", "user").put("content", "q");
                reply.path("output").forEach(input::add);
                input.addObject()
                        .put("type", "function_call_output")
                        .put("call_id", "call_m1")
                        .put("output", "r");
            }
            case ANTHROPIC -> {
                body.put("max_tokens", 100);
                ArrayNode messages = body.putArray("messages");
                messages.addObject().put("role", "user").put("content", "q");
                messages.addObject().put("role", "assistant").set("content", reply.get("content"));
                ObjectNode result = messages.addObject()
                        .put("role", "user")
                        .putArray("content")
                        .addObject();
                result.put("type", "tool_result").put("tool_use_id", "call_m1").put("content", "r");
            }
            case GEMINI -> {
                ArrayNode contents = body.putArray("contents");
                contents.addObject()
                        .put("role", "user")
                        .putArray("parts")
                        .addObject()
                        .put("text", "q");
                contents.add(reply.at("/candidates/0/content"));
                ObjectNode response = contents.addObject()
                        .put("role", "user")
                        .putArray("parts")
                        .addObject()
                        .putObject("functionResponse")
                        .put("id", "call_m1")
                        .put("name", "lookup");
                response.putObject("response").put("result", "r");
            }
            case BEDROCK_CONVERSE -> throw new IllegalArgumentException("Bedrock Converse is no client protocol");
        }
        return body;
    }
}
