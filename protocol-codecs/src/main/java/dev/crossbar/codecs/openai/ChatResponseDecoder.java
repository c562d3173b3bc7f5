package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.IntegerFields;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Usage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reads an upstream {@code chat.completion} body (any dialect) into the canonical reply. */
final class ChatResponseDecoder {

    private ChatResponseDecoder() {}

    static ChatResponse decode(byte[] body, long nowSeconds) {
        JsonNode root = Json.parseUpstream(body);
        JsonNode choices = root.get("choices");
        if (choices == null
                || !choices.isArray()
                || choices.isEmpty()
                || !choices.get(0).isObject()) {
            if (root.has("error") || "error".equals(root.path("object").asText(null))) {
                // A 200 carrying an error body: report the upstream's own words.
                throw new CodecException(ChatErrorDecoder.decode(ErrorKind.BAD_GATEWAY.status(), body)
                        .error());
            }
            throw malformed("it has no choices");
        }
        JsonNode choice = choices.get(0);
        JsonNode message = choice.path("message");
        if (!message.isObject()) {
            throw malformed("choices[0].message is missing");
        }
        List<ContentPart> parts = new ArrayList<>(4);
        String reasoning = reasoningText(message);
        if (reasoning != null && !reasoning.isEmpty()) {
            parts.add(new ContentPart.Thinking(reasoning));
        }
        String text = contentText(message.get("content"));
        if (text == null || text.isEmpty()) {
            String refusal = textOrNull(message.get("refusal"));
            text = refusal == null || refusal.isEmpty() ? text : refusal;
        }
        if (text != null && !text.isEmpty()) {
            parts.add(new ContentPart.Text(text));
        }
        JsonNode calls = message.get("tool_calls");
        int callCount = 0;
        if (calls != null && calls.isArray()) {
            for (JsonNode c : calls) {
                JsonNode fn = c.path("function");
                String name = textOrNull(fn.get("name"));
                if (name == null) {
                    throw malformed("a tool call has no function name");
                }
                String id = textOrNull(c.get("id"));
                parts.add(new ContentPart.ToolCall(
                        id == null || id.isEmpty() ? "call_" + callCount : id, name, arguments(fn.get("arguments"))));
                callCount++;
            }
        }
        String finish = textOrNull(choice.get("finish_reason"));
        JsonNode stopReason = choice.get("stop_reason");
        String matchedStop = stopReason != null && stopReason.isTextual() ? stopReason.textValue() : null;
        FinishReason reason = ChatFinishReasons.fromWire(finish, callCount > 0, matchedStop);
        String id = textOrNull(root.get("id"));
        long created = root.path("created").asLong(0);
        return new ChatResponse(
                id == null ? OpenAiIds.random("chatcmpl-") : id,
                textOrNull(root.get("model")),
                parts,
                reason,
                reason == FinishReason.STOP_SEQUENCE ? matchedStop : null,
                usage(root.get("usage")),
                created > 0 ? created : nowSeconds);
    }

    /** DeepSeek and vLLM say {@code reasoning_content}; Ollama and OpenRouter say {@code reasoning}. */
    static @Nullable String reasoningText(JsonNode messageOrDelta) {
        String r = textOrNull(messageOrDelta.get("reasoning_content"));
        return r != null ? r : textOrNull(messageOrDelta.get("reasoning"));
    }

    /** Content as a string, or the joined text of a part array some servers send. */
    static @Nullable String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode p : content) {
                JsonNode t = p.get("text");
                if (t != null && t.isTextual()) {
                    sb.append(t.textValue());
                }
            }
            return sb.toString();
        }
        return null;
    }

    /** The arguments JSON text; an object (Ollama style) is serialised, absent becomes {@code {}}. */
    static String arguments(JsonNode args) {
        if (args == null || args.isNull()) {
            return "{}";
        }
        if (args.isTextual()) {
            return args.textValue();
        }
        return Json.string(args);
    }

    /**
     * Chat Completions usage in every dialect: {@code prompt_tokens} includes cached input;
     * {@code prompt_tokens_details.cached_tokens} (else DeepSeek's {@code prompt_cache_hit_tokens}) is the
     * cache read; {@code prompt_tokens_details.cache_write_tokens} (else the {@code cache_creation_input_tokens}
     * that LiteLLM-style relays add) the cache write; {@code completion_tokens} includes
     * {@code completion_tokens_details.reasoning_tokens}. A DeepSeek usage without {@code prompt_tokens}
     * is the sum of its cache hits and misses.
     */
    private static final int PROMPT = 0;

    private static final int COMPLETION = 1;
    private static final int CACHE_HIT = 2;
    private static final int CACHE_MISS = 3;
    private static final int CACHE_CREATION = 4;
    private static final int CACHED = 5;
    private static final int CACHE_WRITE = 6;
    private static final int REASONING = 7;

    /** What {@link #usage(long[])} reads of a usage object, at the indexes above. */
    static final IntegerFields USAGE_FIELDS = IntegerFields.of(
            "prompt_tokens",
            "completion_tokens",
            "prompt_cache_hit_tokens",
            "prompt_cache_miss_tokens",
            "cache_creation_input_tokens",
            "prompt_tokens_details.cached_tokens",
            "prompt_tokens_details.cache_write_tokens",
            "completion_tokens_details.reasoning_tokens");

    /** {@link #usage(JsonNode)} of a usage object's {@link #USAGE_FIELDS}, read without its tree. */
    static Usage usage(long[] u) {
        long read = orZero(u[CACHED]);
        if (read == 0) {
            read = orZero(u[CACHE_HIT]);
        }
        long write = orZero(u[CACHE_WRITE]);
        if (write == 0) {
            write = orZero(u[CACHE_CREATION]);
        }
        long prompt = u[PROMPT] != IntegerFields.ABSENT ? u[PROMPT] : orZero(u[CACHE_HIT]) + orZero(u[CACHE_MISS]);
        return new Usage(prompt, orZero(u[COMPLETION]), read, write, 0, orZero(u[REASONING]));
    }

    private static long orZero(long value) {
        return value == IntegerFields.ABSENT ? 0 : value;
    }

    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return Usage.ZERO;
        }
        JsonNode details = u.path("prompt_tokens_details");
        long read = details.path("cached_tokens").asLong(0);
        if (read == 0) {
            read = u.path("prompt_cache_hit_tokens").asLong(0);
        }
        long write = details.path("cache_write_tokens").asLong(0);
        if (write == 0) {
            write = u.path("cache_creation_input_tokens").asLong(0);
        }
        long prompt = u.has("prompt_tokens")
                ? u.path("prompt_tokens").asLong(0)
                : u.path("prompt_cache_hit_tokens").asLong(0)
                        + u.path("prompt_cache_miss_tokens").asLong(0);
        return new Usage(
                prompt,
                u.path("completion_tokens").asLong(0),
                read,
                write,
                0,
                u.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    }

    static @Nullable String textOrNull(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static CodecException malformed(String why) {
        return new CodecException(
                ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider returned a malformed response: " + why));
    }
}
