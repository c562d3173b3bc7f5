package dev.crossbar.codecs.openai;

/**
 * The OpenAI-compatible servers Crossbar talks to, and the quirks that set them apart. Each constant
 * answers the same questions; the upstream codec asks them instead of testing for a dialect by name.
 */
public enum OpenAiDialect {
    /** api.openai.com. */
    OPENAI(Quirks.STREAM_USAGE
            | Quirks.MAX_COMPLETION_TOKENS
            | Quirks.CONTENT_ARRAYS
            | Quirks.IMAGES
            | Quirks.JSON_SCHEMA
            | Quirks.USER
            | Quirks.REASONING_EFFORT),
    /**
     * api.mistral.ai: 9-character alphanumeric tool-call ids, {@code "any"} for a required tool, usage in
     * the last chunk without {@code stream_options} (which it may reject), extra fields rejected (422).
     */
    MISTRAL(Quirks.CONTENT_ARRAYS
            | Quirks.IMAGES
            | Quirks.JSON_SCHEMA
            | Quirks.MISTRAL_TOOL_IDS
            | Quirks.TOOL_CHOICE_ANY
            | Quirks.PARAMETERS_REQUIRED),
    /** api.deepseek.com: text only, JSON mode without schemas, {@code reasoning_content} in replies. */
    DEEPSEEK(Quirks.STREAM_USAGE),
    /** vLLM's OpenAI server: also takes {@code top_k}; older versions send flat error bodies. */
    VLLM(Quirks.STREAM_USAGE | Quirks.CONTENT_ARRAYS | Quirks.IMAGES | Quirks.JSON_SCHEMA | Quirks.TOP_K | Quirks.USER),
    /** llama.cpp's llama-server: also takes {@code top_k}; errors carry the HTTP status as {@code code}. */
    LLAMA_CPP(Quirks.STREAM_USAGE | Quirks.CONTENT_ARRAYS | Quirks.IMAGES | Quirks.JSON_SCHEMA | Quirks.TOP_K),
    /** Ollama's {@code /v1} endpoint: tool calls may come without ids; text content as plain strings. */
    OLLAMA(Quirks.STREAM_USAGE | Quirks.IMAGES | Quirks.JSON_SCHEMA),
    /** Any other compatible server: only the common core of the protocol. */
    GENERIC(Quirks.STREAM_USAGE | Quirks.IMAGES | Quirks.JSON_SCHEMA);

    private final int quirks;

    OpenAiDialect(int quirks) {
        this.quirks = quirks;
    }

    /** Streamed requests ask for the usage chunk with {@code stream_options.include_usage}. */
    public boolean asksForStreamUsage() {
        return has(Quirks.STREAM_USAGE);
    }

    /** The output cap is {@code max_completion_tokens} ({@code max_tokens} is refused by reasoning models). */
    public boolean usesMaxCompletionTokens() {
        return has(Quirks.MAX_COMPLETION_TOKENS);
    }

    /** Several text parts may go as an array; otherwise they are joined into one string. */
    public boolean acceptsContentArrays() {
        return has(Quirks.CONTENT_ARRAYS);
    }

    public boolean acceptsImages() {
        return has(Quirks.IMAGES);
    }

    /** {@code response_format: json_schema} is understood (else only {@code json_object}). */
    public boolean acceptsJsonSchema() {
        return has(Quirks.JSON_SCHEMA);
    }

    public boolean acceptsTopK() {
        return has(Quirks.TOP_K);
    }

    public boolean acceptsUser() {
        return has(Quirks.USER);
    }

    /** The canonical thinking budget is sent as {@code reasoning_effort}. */
    public boolean acceptsReasoningEffort() {
        return has(Quirks.REASONING_EFFORT);
    }

    /** Tool-call ids must match {@code [a-zA-Z0-9]{9}}; foreign ids are rewritten. */
    public boolean needsNineCharToolIds() {
        return has(Quirks.MISTRAL_TOOL_IDS);
    }

    /** The tool choice "must call some tool" is spelled {@code "any"}. */
    public String requiredToolChoice() {
        return has(Quirks.TOOL_CHOICE_ANY) ? "any" : "required";
    }

    /** A function without parameters must still send an (empty) parameters schema. */
    public boolean needsParameters() {
        return has(Quirks.PARAMETERS_REQUIRED);
    }

    private boolean has(int quirk) {
        return (quirks & quirk) != 0;
    }

    private static final class Quirks {
        static final int STREAM_USAGE = 1;
        static final int MAX_COMPLETION_TOKENS = 1 << 1;
        static final int CONTENT_ARRAYS = 1 << 2;
        static final int IMAGES = 1 << 3;
        static final int JSON_SCHEMA = 1 << 4;
        static final int TOP_K = 1 << 5;
        static final int USER = 1 << 6;
        static final int REASONING_EFFORT = 1 << 7;
        static final int MISTRAL_TOOL_IDS = 1 << 8;
        static final int TOOL_CHOICE_ANY = 1 << 9;
        static final int PARAMETERS_REQUIRED = 1 << 10;

        private Quirks() {}
    }
}
