package dev.crossbar.codecs.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.ClientRoute;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.FactReader;
import dev.crossbar.codecs.spi.Inbound;
import dev.crossbar.codecs.spi.KeyPlaces;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.RequestFacts;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The client side of Anthropic Messages: {@code POST /v1/messages} and the body of
 * {@code POST /v1/messages/count_tokens}. Stateless and thread-safe.
 */
public final class AnthropicClientCodec implements ClientCodec {

    /** Anthropic's SDKs send {@code anthropic-version} with every call, which tells their model list from OpenAI's. */
    private static final Inbound INBOUND = new Inbound(
            List.of(
                    ClientRoute.at("/v1/messages", Endpoint.CHAT),
                    ClientRoute.at("/v1/messages/count_tokens", Endpoint.COUNT_TOKENS)),
            new KeyPlaces(List.of("x-api-key"), null, true, "the x-api-key header or 'Authorization: Bearer <key>'"),
            "/v1/models",
            "anthropic-version");

    @Override
    public Protocol protocol() {
        return Protocol.ANTHROPIC;
    }

    @Override
    public Inbound inbound() {
        return INBOUND;
    }

    /** What intake reads of a body: the model, the stream flag and the output cap. */
    private static final Set<String> FACTS = Set.of("model", "stream", "max_tokens");

    @Override
    public Set<String> factMembers() {
        return FACTS;
    }

    @Override
    public RequestFacts readFacts(JsonNode members, @Nullable String pathModel, boolean pathStream) {
        return new RequestFacts(
                FactReader.model(members, "model"),
                FactReader.flag(members, "stream", "stream"),
                FactReader.maxTokens(members, "max_tokens", "max_tokens"),
                false);
    }

    /** {@inheritDoc} {@code max_tokens} is required; the path arguments are unused. */
    @Override
    public ChatRequest decodeRequest(JsonNode body, @Nullable String pathModel, boolean pathStream) {
        return AnthropicRequestReader.read(body, false);
    }

    /** A count_tokens body: a message request without {@code max_tokens} (ignored if sent). */
    public ChatRequest decodeCountTokensRequest(JsonNode body) {
        return AnthropicRequestReader.read(body, true);
    }

    /** The count_tokens answer, {@code {"input_tokens":N}}. */
    public byte[] encodeCountTokens(long inputTokens) {
        return JsonOutput.bytes(g -> {
            g.writeStartObject();
            g.writeNumberField("input_tokens", inputTokens);
            g.writeEndObject();
        });
    }

    @Override
    public byte[] encodeResponse(ChatResponse response, ChatRequest request) {
        return JsonOutput.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("id", messageId(response.id()));
            g.writeStringField("type", "message");
            g.writeStringField("role", "assistant");
            g.writeStringField("model", response.model() != null ? response.model() : request.model());
            g.writeArrayFieldStart("content");
            int toolIndex = 0;
            for (ContentPart part : response.content()) {
                if (part instanceof ContentPart.ToolCall) {
                    writeBlock(g, part, toolIndex++);
                } else {
                    writeBlock(g, part, -1);
                }
            }
            g.writeEndArray();
            g.writeStringField("stop_reason", AnthropicWire.stopReason(response.finishReason()));
            g.writeStringField("stop_sequence", response.stopSequence());
            g.writeFieldName("usage");
            AnthropicUsage.write(g, response.usage(), true);
            g.writeEndObject();
        });
    }

    /** One content block; empty text parts write nothing (Anthropic never sends empty text blocks). */
    private static void writeBlock(JsonGenerator g, ContentPart part, int toolIndex) throws IOException {
        if (part instanceof ContentPart.Text t) {
            if (!t.text().isEmpty()) {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", t.text());
                g.writeEndObject();
            }
        } else if (part instanceof ContentPart.Thinking th) {
            g.writeStartObject();
            g.writeStringField("type", "thinking");
            g.writeStringField("thinking", th.text());
            g.writeStringField(
                    "signature",
                    th.signature() == null
                            ? ""
                            : SignatureEnvelope.seal(th.issuer(), false, th.signature(), Issuer.ANTHROPIC, false));
            g.writeEndObject();
        } else if (part instanceof ContentPart.RedactedThinking r) {
            g.writeStartObject();
            g.writeStringField("type", "redacted_thinking");
            g.writeStringField("data", SignatureEnvelope.seal(r.issuer(), true, r.data(), Issuer.ANTHROPIC, true));
            g.writeEndObject();
        } else if (part instanceof ContentPart.ToolCall c) {
            g.writeStartObject();
            g.writeStringField("type", "tool_use");
            g.writeStringField("id", c.id() != null ? c.id() : "toolu_" + toolIndex);
            g.writeStringField("name", c.name());
            g.writeFieldName("input");
            g.writeTree(Json.argumentsObject(c.argumentsJson()));
            g.writeEndObject();
        }
        // Images, tool results: not part of an assistant reply.
    }

    static String messageId(@Nullable String id) {
        if (id == null || id.isEmpty()) {
            return "msg_" + Long.toHexString(System.nanoTime())
                    + Long.toHexString(Double.doubleToLongBits(Math.random()));
        }
        return id.startsWith("msg_") ? id : "msg_" + id;
    }

    @Override
    public ClientStreamEncoder streamEncoder(ChatRequest request) {
        return new AnthropicStreamEncoder(request.model());
    }

    @Override
    public byte[] encodeModelList(List<String> models, long createdMillis) {
        ObjectNode root = Json.NODES.objectNode();
        ArrayNode data = root.putArray("data");
        String created = Instant.ofEpochMilli(createdMillis).toString();
        models.forEach(n -> data.addObject()
                .put("type", "model")
                .put("id", n)
                .put("display_name", n)
                .put("created_at", created));
        root.put("has_more", false);
        root.put("first_id", models.isEmpty() ? null : models.get(0));
        root.put("last_id", models.isEmpty() ? null : models.get(models.size() - 1));
        return Json.bytes(root);
    }

    /** {@code {"type":"error","error":{"type","message"}}}, the type chosen by status. */
    @Override
    public byte[] encodeError(ApiError error) {
        return JsonOutput.bytes(g -> writeError(g, error));
    }

    static void writeError(JsonGenerator g, ApiError error) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "error");
        g.writeObjectFieldStart("error");
        g.writeStringField("type", AnthropicWire.errorType(error.status(), error.kind()));
        g.writeStringField("message", error.message());
        g.writeEndObject();
        g.writeEndObject();
    }
}
