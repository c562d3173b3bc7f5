package dev.crossbar.codecs.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Forwarded;
import dev.crossbar.codecs.spi.RequestFacts;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The provider side of Amazon Bedrock's Converse API: {@code /model/{modelId}/converse} answered in JSON and
 * {@code /model/{modelId}/converse-stream} answered in the AWS binary event stream, relative to the runtime
 * endpoint ({@code https://bedrock-runtime.{region}.amazonaws.com}). No client speaks Converse, so nothing is
 * forwarded unchanged. Stateless and thread-safe.
 */
public final class BedrockUpstreamCodec implements UpstreamCodec {

    private static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    @Override
    public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel) {
        return new UpstreamRequest(
                path(upstreamModel, request.stream()), BedrockRequestWriter.write(request), request.stream());
    }

    /** The Converse path of a model id; the id's {@code :} (as in {@code ...-v1:0}) and any {@code /} are escaped. */
    public static String path(String modelId, boolean stream) {
        String id = URLEncoder.encode(modelId, StandardCharsets.UTF_8).replace("+", "%20");
        return "/model/" + id + (stream ? "/converse-stream" : "/converse");
    }

    @Override
    public Forwarded forward(Endpoint endpoint, byte[] body, RequestFacts facts, String upstreamModel) {
        throw new IllegalArgumentException("no client protocol is Bedrock Converse: nothing is forwarded to it as is");
    }

    @Override
    public ChatResponse decodeResponse(byte[] body) {
        JsonNode root = Json.parseUpstream(body);
        JsonNode message = root.path("output").path("message");
        if (!message.isObject()) {
            throw new CodecException(BedrockWire.error(502, "the upstream answer has no output message"));
        }
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode block : message.path("content")) {
            if (block.path("text").isTextual()) {
                parts.add(new ContentPart.Text(block.get("text").textValue()));
            } else if (block.path("toolUse").isObject()) {
                JsonNode use = block.get("toolUse");
                JsonNode input = use.path("input");
                parts.add(new ContentPart.ToolCall(
                        use.path("toolUseId").textValue(),
                        use.path("name").asText(""),
                        input.isObject() ? Json.string(input) : "{}"));
            } else if (block.path("reasoningContent")
                    .path("reasoningText")
                    .path("text")
                    .isTextual()) {
                parts.add(new ContentPart.Thinking(block.get("reasoningContent")
                        .get("reasoningText")
                        .get("text")
                        .textValue()));
            }
        }
        FinishReason finish = BedrockWire.finishReason(root.path("stopReason").textValue());
        return new ChatResponse(
                null,
                null,
                parts,
                finish,
                finish == FinishReason.STOP_SEQUENCE ? BedrockWire.stopSequence(root) : null,
                BedrockWire.usage(root.get("usage")),
                System.currentTimeMillis() / 1000);
    }

    @Override
    public UpstreamStreamDecoder streamDecoder() {
        return new BedrockStreamDecoder();
    }

    /** As {@link #decodeError(int, byte[], UnaryOperator)} when the response's headers are not at hand. */
    @Override
    public UpstreamError decodeError(int status, byte[] body) {
        return decodeError(status, body, name -> null);
    }

    /**
     * Never throws. Bedrock names the error in the {@code x-amzn-ErrorType} header and sometimes in the body's
     * {@code __type}; the body's {@code message} (or {@code Message}) says why. The type decides the cause where
     * the status alone would mislead (a quota exceeded is a 400, a model not ready a 429). Without a type the
     * status decides: 403 is a refused credential (a bad signature, an unknown access key, no model access), 429
     * a throttled one.
     */
    @Override
    public UpstreamError decodeError(int status, byte[] body, UnaryOperator<String> header) {
        JsonNode root = null;
        try {
            root = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            // not JSON: the raw text below
        }
        String headerType = BedrockWire.shortType(header.apply(ERROR_TYPE_HEADER));
        if (root != null && root.isObject()) {
            String bodyType = BedrockWire.shortType(root.path("__type").textValue());
            String type = bodyType != null ? bodyType : headerType;
            String message = root.path("message").asText(root.path("Message").asText(null));
            return new UpstreamError(BedrockWire.error(status, message), -1, BedrockWire.causeOf(type, status), type);
        }
        String text = body == null ? "" : new String(body, 0, Math.min(body.length, 2048), StandardCharsets.UTF_8);
        return new UpstreamError(
                BedrockWire.error(status, text), -1, BedrockWire.causeOf(headerType, status), headerType);
    }
}
