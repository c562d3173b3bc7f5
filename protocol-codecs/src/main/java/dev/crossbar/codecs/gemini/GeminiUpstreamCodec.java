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
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The provider side of Gemini ({@code {base}/models/{model}:generateContent} or
 * {@code :streamGenerateContent?alt=sse}, the base URL carrying {@code /v1beta}). Stateless and
 * thread-safe.
 */
public final class GeminiUpstreamCodec implements UpstreamCodec {

    @Override
    public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel) {
        String path =
                "/models/" + upstreamModel + (request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent");
        return new UpstreamRequest(path, GeminiRequestWriter.write(request), request.stream());
    }

    @Override
    public Usage usageOf(byte[] body) {
        return GeminiWire.usage(TopLevelScan.member(body, "usageMetadata", null));
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
            ApiError e = GeminiWire.error(root.get("error"), status >= 400 ? status : 0);
            return new UpstreamError(e, e.retryAfterMs());
        }
        String text = body == null ? "" : new String(body, 0, Math.min(body.length, 2048), StandardCharsets.UTF_8);
        String message = text.isBlank() ? "upstream returned HTTP " + status : GeminiWire.cap(text);
        return new UpstreamError(new ApiError(status, ErrorKind.fromStatus(status), message, null, -1), -1);
    }
}
