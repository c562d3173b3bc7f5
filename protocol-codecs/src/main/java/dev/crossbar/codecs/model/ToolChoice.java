package dev.crossbar.codecs.model;

import org.jspecify.annotations.Nullable;

/** How the model may use the offered tools. {@code name} is set only for {@link Mode#SPECIFIC}. */
public record ToolChoice(Mode mode, @Nullable String name) {

    public enum Mode {
        AUTO,
        NONE,
        /** At least one tool must be called (OpenAI "required", Anthropic "any", Gemini ANY). */
        REQUIRED,
        SPECIFIC
    }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
    public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

    public static ToolChoice specific(String name) {
        return new ToolChoice(Mode.SPECIFIC, name);
    }
}
