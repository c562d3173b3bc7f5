package dev.crossbar.codecs.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.PassThroughBody;
import dev.crossbar.codecs.json.TopLevelScan;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Forwarded;
import dev.crossbar.codecs.spi.RequestFacts;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The provider side of Anthropic Messages ({@code POST {base}/messages}, the base URL carrying
 * {@code /v1}). Stateless and thread-safe.
 */
public final class AnthropicUpstreamCodec implements UpstreamCodec {

    public static final String PATH = "/messages";

    public static final String COUNT_TOKENS_PATH = "/messages/count_tokens";

    /** The error_code of a 429 that is a hard spend limit: waiting does not help. */
    static final String SPEND_LIMIT = "enforced_spend_limit_reached";

    /** The words of Anthropic's 400 for an account without credit ("Your credit balance is too low ..."). */
    private static final String LOW_CREDIT = "credit balance is too low";

    /**
     * {@inheritDoc} System messages are hoisted to {@code system}; max_tokens defaults to
     * {@value AnthropicRequestWriter#DEFAULT_MAX_TOKENS}; JSON output is emulated with a forced tool.
     */
    @Override
    public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel) {
        return new UpstreamRequest(PATH, AnthropicRequestWriter.write(request, upstreamModel), request.stream());
    }

    @Override
    public boolean serves(Endpoint endpoint) {
        return endpoint == Endpoint.CHAT || endpoint == Endpoint.COUNT_TOKENS;
    }

    @Override
    public Forwarded forward(Endpoint endpoint, byte[] body, RequestFacts facts, String upstreamModel) {
        String path = switch (endpoint) {
            case CHAT -> PATH;
            case COUNT_TOKENS -> COUNT_TOKENS_PATH;
            default -> throw new IllegalArgumentException("an Anthropic upstream does not serve " + endpoint);
        };
        return new Forwarded(new UpstreamRequest(
                path,
                PassThroughBody.withModel(body, facts.model(), upstreamModel, facts.modelSpan()),
                endpoint == Endpoint.CHAT && facts.stream()));
    }

    @Override
    public Usage usageOf(byte[] body) {
        return usageOf(body, 0, body.length);
    }

    @Override
    public Usage usageOf(byte[] body, int offset, int length) {
        // The usage's integers without its tree when they are plain (as Anthropic sends them); the tree otherwise.
        long[] counted = TopLevelScan.integers(body, offset, length, "usage", "content", AnthropicUsage.FIELDS);
        return counted != null
                ? AnthropicUsage.of(counted)
                : AnthropicUsage.of(TopLevelScan.member(body, offset, length, "usage", "content"));
    }

    @Override
    public ChatResponse decodeResponse(byte[] body) {
        JsonNode root = Json.parseUpstream(body);
        if ("error".equals(root.path("type").textValue())) {
            throw new CodecException(errorFrom(root.path("error"), 0));
        }
        JsonNode content = root.path("content");
        List<ContentPart> parts = new ArrayList<>(content.size());
        boolean realToolCall = false;
        for (JsonNode block : content) {
            String type = block.path("type").asText();
            switch (type) {
                case "text" -> parts.add(new ContentPart.Text(block.path("text").asText()));
                case "thinking" ->
                    parts.add(new ContentPart.Thinking(
                            block.path("thinking").asText(),
                            block.path("signature").textValue(),
                            Issuer.ANTHROPIC));
                case "redacted_thinking" ->
                    parts.add(
                            new ContentPart.RedactedThinking(block.path("data").asText(), Issuer.ANTHROPIC));
                case "tool_use" -> {
                    JsonNode input = block.path("input");
                    String args = input.isObject() ? Json.string(input) : "{}";
                    String name = block.path("name").asText();
                    if (AnthropicWire.JSON_TOOL.equals(name)) {
                        parts.add(new ContentPart.Text(args));
                    } else {
                        realToolCall = true;
                        parts.add(new ContentPart.ToolCall(block.path("id").textValue(), name, args));
                    }
                }
                default -> {
                    // server tool blocks and future block types carry nothing the canonical reply holds
                }
            }
        }
        FinishReason finish =
                AnthropicWire.finishReason(root.path("stop_reason").textValue());
        if (finish == FinishReason.TOOL_CALLS && !realToolCall) {
            finish = FinishReason.STOP; // only the structured-output tool was "called"
        }
        return new ChatResponse(
                root.path("id").textValue(),
                root.path("model").textValue(),
                parts,
                finish,
                root.path("stop_sequence").textValue(),
                AnthropicUsage.of(root.get("usage")),
                System.currentTimeMillis() / 1000);
    }

    @Override
    public UpstreamStreamDecoder streamDecoder() {
        return new AnthropicStreamDecoder();
    }

    /**
     * Never throws. The status stays the one the upstream sent; the message is the body's error
     * message, or the start of the body when it is not Anthropic's error shape. A 429 spend-limit
     * error becomes kind PERMISSION, because retrying (on this key) cannot succeed.
     *
     * <p>Anthropic says an account has no money in three ways: 402 {@code billing_error}, a 429 whose
     * error_code is {@value #SPEND_LIMIT}, and a 400 {@code invalid_request_error} whose message says
     * "credit balance is too low" (the only sign of it is the wording). 401 {@code authentication_error}
     * and 403 {@code permission_error} refuse the key itself.
     */
    @Override
    public UpstreamError decodeError(int status, byte[] body) {
        JsonNode root = null;
        try {
            root = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            // not JSON: the raw text below
        }
        if (root != null && root.path("error").isObject()) {
            JsonNode error = root.get("error");
            ApiError decoded = errorFrom(error, status >= 400 ? status : 0);
            String type = error.path("type").textValue();
            return new UpstreamError(decoded, -1, causeOf(decoded.status(), error), type);
        }
        String text = body == null ? "" : new String(body, 0, Math.min(body.length, 2048), StandardCharsets.UTF_8);
        String message = text.isBlank() ? "upstream returned HTTP " + status : AnthropicWire.cap(text);
        return new UpstreamError(new ApiError(status, ErrorKind.fromStatus(status), message, null, -1), -1);
    }

    private static UpstreamError.Cause causeOf(int status, JsonNode error) {
        String type = error.path("type").asText("");
        String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
        if ("billing_error".equals(type)
                || SPEND_LIMIT.equals(error.path("details").path("error_code").textValue())
                || SPEND_LIMIT.equals(error.path("error_code").textValue())
                || message.contains(LOW_CREDIT)) {
            return UpstreamError.Cause.OUT_OF_CREDIT;
        }
        if ("authentication_error".equals(type) || "permission_error".equals(type)) {
            return UpstreamError.Cause.KEY_INVALID;
        }
        return UpstreamError.Cause.ofStatus(status);
    }

    /** An Anthropic error object; without an HTTP status ({@code httpStatus <= 0}) the type decides it. */
    static ApiError errorFrom(JsonNode error, int httpStatus) {
        String type = error.path("type").textValue();
        int status = httpStatus > 0 ? httpStatus : AnthropicWire.statusOf(type, 502);
        String message = error.path("message").isTextual()
                ? AnthropicWire.cap(error.path("message").textValue())
                : null;
        if (message == null || message.isEmpty()) {
            message = type != null ? type : "upstream returned HTTP " + status;
        }
        ErrorKind kind = ErrorKind.fromStatus(status);
        if (SPEND_LIMIT.equals(error.path("details").path("error_code").textValue())
                || SPEND_LIMIT.equals(error.path("error_code").textValue())) {
            kind = ErrorKind.PERMISSION;
            message = "spend limit reached (" + SPEND_LIMIT + "), not retryable: " + message;
        }
        return new ApiError(status, kind, message, null, -1);
    }
}
