package dev.crossbar.codecs.openai;

import dev.crossbar.codecs.model.CodecException;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's {@code reasoning_effort} / {@code reasoning.effort} levels and the canonical thinking budget.
 * The budgets follow LiteLLM's defaults (low 1024, medium 2048, high 4096 tokens); {@code none} asks for
 * no reasoning. The reverse mapping picks the smallest level whose budget covers the request.
 */
public final class ReasoningEffort {

    public static final int LOW_BUDGET = 1024;
    public static final int MEDIUM_BUDGET = 2048;
    public static final int HIGH_BUDGET = 4096;
    public static final int XHIGH_BUDGET = 8192;

    private ReasoningEffort() {}

    /**
     * The thinking budget for an effort level, null for {@code none} or absent.
     *
     * @throws CodecException 400 naming {@code path} for an unknown level
     */
    public static @Nullable Integer budget(@Nullable String effort, String path) {
        if (effort == null) {
            return null;
        }
        return switch (effort) {
            case "none" -> null;
            case "minimal", "low" -> LOW_BUDGET;
            case "medium" -> MEDIUM_BUDGET;
            case "high" -> HIGH_BUDGET;
            case "xhigh" -> XHIGH_BUDGET;
            default ->
                throw CodecException.invalid(
                        path,
                        "'" + path + "' must be one of none, minimal, low, medium, high, xhigh; was '" + effort + "'");
        };
    }

    /** The effort level for a thinking budget, null when no thinking was asked for. */
    public static @Nullable String effort(@Nullable Integer budget) {
        if (budget == null || budget <= 0) {
            return null;
        }
        if (budget <= LOW_BUDGET) {
            return "low";
        }
        return budget <= MEDIUM_BUDGET ? "medium" : "high";
    }
}
