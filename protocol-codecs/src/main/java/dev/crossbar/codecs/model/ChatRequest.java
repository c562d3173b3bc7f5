package dev.crossbar.codecs.model;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The canonical chat request every client protocol decodes to and every upstream protocol encodes
 * from. System prompts are {@link Role#SYSTEM} messages, wherever the client put them.
 *
 * @param maxTokens       null when the client did not set one
 * @param thinkingBudget  null when extended thinking was not asked for
 * @param includeUsage    OpenAI {@code stream_options.include_usage}: the client wants a usage chunk
 * @param parallelToolCalls null when the client did not say
 * @param builtinTools    provider-run tools (and traces of them) the client sent, which no translation carries:
 *                        encoders ignore them, the gateway drops or refuses them per model
 */
public record ChatRequest(
        String model,
        List<Message> messages,
        List<Tool> tools,
        @Nullable ToolChoice toolChoice,
        @Nullable Integer maxTokens,
        @Nullable Double temperature,
        @Nullable Double topP,
        @Nullable Integer topK,
        List<String> stop,
        boolean stream,
        boolean includeUsage,
        @Nullable ResponseFormat responseFormat,
        @Nullable Boolean parallelToolCalls,
        @Nullable Integer thinkingBudget,
        @Nullable String user,
        List<BuiltinTool> builtinTools) {

    public ChatRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        stop = stop == null ? List.of() : List.copyOf(stop);
        builtinTools = builtinTools == null ? List.of() : List.copyOf(builtinTools);
    }

    public ChatRequest withModel(String newModel) {
        return new ChatRequest(
                newModel,
                messages,
                tools,
                toolChoice,
                maxTokens,
                temperature,
                topP,
                topK,
                stop,
                stream,
                includeUsage,
                responseFormat,
                parallelToolCalls,
                thinkingBudget,
                user,
                builtinTools);
    }

    /** Characters of all text the model will read: the basis of the pre-call token estimate. */
    public long promptCharacters() {
        long chars = 0;
        for (Message m : messages) {
            for (ContentPart p : m.parts()) {
                if (p instanceof ContentPart.Text t) {
                    chars += t.text().length();
                } else if (p instanceof ContentPart.ToolCall c) {
                    chars += c.name().length() + c.argumentsJson().length();
                } else if (p instanceof ContentPart.ToolResult r) {
                    chars += r.content().length();
                } else if (p instanceof ContentPart.Thinking th) {
                    chars += th.text().length();
                }
            }
        }
        for (Tool t : tools) {
            chars += t.name().length()
                    + (t.description() == null ? 0 : t.description().length())
                    + (t.parameters() == null ? 0 : t.parameters().toString().length());
        }
        return chars;
    }

    /** A builder for tests and codecs; fields left unset take the record's defaults. */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    public static final class Builder {
        private String model;
        private List<Message> messages = List.of();
        private List<Tool> tools = List.of();
        private @Nullable ToolChoice toolChoice;
        private @Nullable Integer maxTokens;
        private @Nullable Double temperature;
        private @Nullable Double topP;
        private @Nullable Integer topK;
        private List<String> stop = List.of();
        private boolean stream;
        private boolean includeUsage;
        private @Nullable ResponseFormat responseFormat;
        private @Nullable Boolean parallelToolCalls;
        private @Nullable Integer thinkingBudget;
        private @Nullable String user;
        private List<BuiltinTool> builtinTools = List.of();

        private Builder(String model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        public Builder messages(List<Message> v) {
            messages = v;
            return this;
        }

        public Builder tools(List<Tool> v) {
            tools = v;
            return this;
        }

        public Builder toolChoice(ToolChoice v) {
            toolChoice = v;
            return this;
        }

        public Builder maxTokens(@Nullable Integer v) {
            maxTokens = v;
            return this;
        }

        public Builder temperature(@Nullable Double v) {
            temperature = v;
            return this;
        }

        public Builder topP(@Nullable Double v) {
            topP = v;
            return this;
        }

        public Builder topK(@Nullable Integer v) {
            topK = v;
            return this;
        }

        public Builder stop(List<String> v) {
            stop = v;
            return this;
        }

        public Builder stream(boolean v) {
            stream = v;
            return this;
        }

        public Builder includeUsage(boolean v) {
            includeUsage = v;
            return this;
        }

        public Builder responseFormat(@Nullable ResponseFormat v) {
            responseFormat = v;
            return this;
        }

        public Builder parallelToolCalls(Boolean v) {
            parallelToolCalls = v;
            return this;
        }

        public Builder thinkingBudget(@Nullable Integer v) {
            thinkingBudget = v;
            return this;
        }

        public Builder user(@Nullable String v) {
            user = v;
            return this;
        }

        public Builder builtinTools(List<BuiltinTool> v) {
            builtinTools = v;
            return this;
        }

        public ChatRequest build() {
            return new ChatRequest(
                    model,
                    messages,
                    tools,
                    toolChoice,
                    maxTokens,
                    temperature,
                    topP,
                    topK,
                    stop,
                    stream,
                    includeUsage,
                    responseFormat,
                    parallelToolCalls,
                    thinkingBudget,
                    user,
                    builtinTools);
        }
    }
}
