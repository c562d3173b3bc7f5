package dev.crossbar.codecs.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.TopLevelScan;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
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
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The provider side of Gemini ({@code {base}/models/{model}:generateContent} or
 * {@code :streamGenerateContent?alt=sse}, the base URL carrying {@code /v1beta}). Stateless and
 * thread-safe.
 */
public final class GeminiUpstreamCodec implements UpstreamCodec {

    /** ErrorInfo reasons about the key itself: API_KEY_INVALID, API_KEY_EXPIRED, API_KEY_SERVICE_BLOCKED, ... */
    private static final String KEY_REASON_PREFIX = "API_KEY_";

    private static final String BILLING_DISABLED = "BILLING_DISABLED";
    private static final String CREDITS_DEPLETED = "prepayment credits are depleted";
    /** A bad key's message when a proxy dropped the details: "API key not valid", "API Key not found", "API key expired". */
    private static final Pattern KEY_MESSAGE = Pattern.compile("api key (not valid|not found|expired)");

    @Override
    public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel) {
        return new UpstreamRequest(
                path(upstreamModel, request.stream()), GeminiRequestWriter.write(request), request.stream());
    }

    /** {@inheritDoc} Gemini names the model in the path: the body goes as sent. */
    @Override
    public Forwarded forward(Endpoint endpoint, byte[] body, RequestFacts facts, String upstreamModel) {
        if (endpoint != Endpoint.CHAT) {
            throw new IllegalArgumentException("a Gemini upstream does not serve " + endpoint);
        }
        return new Forwarded(new UpstreamRequest(path(upstreamModel, facts.stream()), body, facts.stream()));
    }

    private static String path(String upstreamModel, boolean stream) {
        return "/models/" + upstreamModel + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    @Override
    public Usage usageOf(byte[] body) {
        return usageOf(body, 0, body.length);
    }

    @Override
    public Usage usageOf(byte[] body, int offset, int length) {
        // The usage's integers without its tree when they are plain (as Gemini sends them); the tree otherwise.
        long[] counted = TopLevelScan.integers(body, offset, length, "usageMetadata", null, GeminiWire.USAGE_FIELDS);
        return counted != null
                ? GeminiWire.usage(counted)
                : GeminiWire.usage(TopLevelScan.member(body, offset, length, "usageMetadata", null));
    }

    @Override
    public ChatResponse decodeResponse(byte[] body) {
        JsonNode root = Json.parseUpstream(body);
        if (root.path("error").isObject()) {
            throw new CodecException(GeminiWire.error(root.get("error"), 0));
        }
        String responseId = root.path("responseId").textValue();
        JsonNode candidate = root.path("candidates").path(0);
        List<ContentPart> parts = new ArrayList<>();
        FinishReason finish;
        if (candidate.isMissingNode()) {
            // A blocked prompt: HTTP 200, promptFeedback.blockReason and no candidates.
            finish = root.path("promptFeedback").hasNonNull("blockReason")
                    ? FinishReason.CONTENT_FILTER
                    : FinishReason.OTHER;
        } else {
            int[] toolCount = {0};
            for (JsonNode part : candidate.path("content").path("parts")) {
                GeminiWire.readModelPart(part, parts, responseId, toolCount);
            }
            finish = GeminiWire.finishReason(candidate.path("finishReason").textValue());
            if (finish == FinishReason.STOP && toolCount[0] > 0) {
                finish = FinishReason.TOOL_CALLS; // Gemini ends a function call with STOP
            }
        }
        return new ChatResponse(
                responseId,
                root.path("modelVersion").textValue(),
                parts,
                finish,
                null,
                GeminiWire.usage(root.get("usageMetadata")),
                System.currentTimeMillis() / 1000);
    }

    @Override
    public UpstreamStreamDecoder streamDecoder() {
        return new GeminiStreamDecoder();
    }

    /**
     * Never throws. Keeps the upstream's status, takes the message from {@code error.message} (the
     * body may also be a one-element array, as the non-SSE stream endpoint answers) or the start of
     * the body, and reads RetryInfo's retryDelay into retryAfterMs.
     *
     * <p>Gemini refuses a bad key with 400 {@code INVALID_ARGUMENT}, not 401: only the ErrorInfo
     * detail's reason ({@code API_KEY_INVALID}, {@code API_KEY_EXPIRED}, ...) tells it from a bad
     * request. A project without money answers 429 {@code RESOURCE_EXHAUSTED} like a rate limit, but
     * with "Your prepayment credits are depleted", or ErrorInfo reason {@code BILLING_DISABLED}.
     */
    @Override
    public UpstreamError decodeError(int status, byte[] body) {
        JsonNode root = null;
        try {
            root = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            // not JSON: the raw text below
        }
        if (root != null && root.isArray()) {
            root = root.path(0);
        }
        if (root != null && root.path("error").isObject()) {
            JsonNode error = root.get("error");
            ApiError e = GeminiWire.error(error, status >= 400 ? status : 0);
            String reason = errorInfoReason(error);
            String code = reason != null ? reason : error.path("status").textValue();
            return new UpstreamError(e, e.retryAfterMs(), causeOf(e.status(), error, reason), code);
        }
        String text = body == null ? "" : new String(body, 0, Math.min(body.length, 2048), StandardCharsets.UTF_8);
        String message = text.isBlank() ? "upstream returned HTTP " + status : GeminiWire.cap(text);
        return new UpstreamError(new ApiError(status, ErrorKind.fromStatus(status), message, null, -1), -1);
    }

    private static UpstreamError.Cause causeOf(int status, JsonNode error, @Nullable String reason) {
        String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
        if (BILLING_DISABLED.equals(reason) || message.contains(CREDITS_DEPLETED)) {
            return UpstreamError.Cause.OUT_OF_CREDIT;
        }
        if ((reason != null && reason.startsWith(KEY_REASON_PREFIX))
                || (status == 400 && KEY_MESSAGE.matcher(message).lookingAt())) {
            return UpstreamError.Cause.KEY_INVALID;
        }
        return UpstreamError.Cause.ofStatus(status);
    }

    /** The reason of the error's ErrorInfo detail (some proxies drop its {@code @type}), or null. */
    private static @Nullable String errorInfoReason(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            String type = detail.path("@type").asText("");
            JsonNode reason = detail.path("reason");
            if (reason.isTextual() && (type.isEmpty() || type.endsWith("google.rpc.ErrorInfo"))) {
                return reason.textValue();
            }
        }
        return null;
    }
}
