package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import org.jspecify.annotations.Nullable;

/**
 * What one upstream call settles to in the token buckets (DESIGN.md 4). The provider's own count when it
 * reported one for the whole answer (the input as the provider counts it against its limit: Anthropic leaves
 * cache reads out); otherwise what was produced, counted from the text that came back, and
 * never less than the estimate charged up front. Lives on one event loop.
 */
final class TokenMeter {

    /**
     * Bytes of generated text (UTF-8) counted as one token when the provider gives no count. English runs
     * about 4 characters a token; code, numbers and other scripts run shorter, but rarely below 3 bytes a
     * token (a CJK character is 3 bytes and at most about one token). Rounding this way charges more than
     * the provider for most text, which errs on the safe side of its limit.
     */
    static final int BYTES_PER_TOKEN = 3;

    private final long estimate;
    private final long inputEstimate;
    private final long reservedOutput;
    private final boolean cacheReadsCount;
    private @Nullable Usage usage;
    private long outputBytes;
    /**
     * How the call settled: false when the answer did not run to its end; null when it settled without
     * {@link #charge} (an endpoint forwarded as is, whose usage, if any, covers the whole answer).
     */
    private @Nullable Boolean whole;

    /**
     * @param estimate       what was charged up front
     * @param inputEstimate  the estimate's share for the prompt (request bytes / 4)
     * @param reservedOutput the max tokens the request asked for, or 0
     * @param cacheReadsCount whether the provider counts cache reads against its token limit
     *     ({@link dev.crossbar.gateway.config.ProviderType#countsCacheReadsAgainstLimits})
     */
    TokenMeter(long estimate, long inputEstimate, long reservedOutput, boolean cacheReadsCount) {
        this.estimate = estimate;
        this.inputEstimate = inputEstimate;
        this.reservedOutput = reservedOutput;
        this.cacheReadsCount = cacheReadsCount;
    }

    /** A meter for a provider that counts every prompt token against its limit. */
    TokenMeter(long estimate, long inputEstimate, long reservedOutput) {
        this(estimate, inputEstimate, reservedOutput, true);
    }

    /** The provider's count so far (cumulative: the last one wins); an all-zero usage is no count. */
    void reported(@Nullable Usage seen) {
        if (seen != null && (seen.inputTokens() > 0 || seen.outputTokens() > 0)) {
            usage = seen;
        }
    }

    /** The provider's count, or null when it gave none. */
    @Nullable
    Usage usage() {
        return usage;
    }

    /** Counts the generated text a stream event carries. */
    void produced(StreamEvent event) {
        if (event instanceof StreamEvent.TextDelta t) {
            count(t.text());
        } else if (event instanceof StreamEvent.ThinkingDelta t) {
            count(t.text());
        } else if (event instanceof StreamEvent.ToolCallStart c) {
            count(c.name());
        } else if (event instanceof StreamEvent.ToolCallDelta d) {
            count(d.argumentsFragment());
        }
    }

    /** Counts the generated text of a whole answer, and takes its usage. */
    void produced(ChatResponse answer) {
        for (ContentPart part : answer.content()) {
            if (part instanceof ContentPart.Text t) {
                count(t.text());
            } else if (part instanceof ContentPart.Thinking t) {
                count(t.text());
            } else if (part instanceof ContentPart.ToolCall c) {
                count(c.name());
                count(c.argumentsJson());
            }
        }
        reported(answer.usage());
    }

    private void count(@Nullable String text) {
        if (text != null) {
            outputBytes += utf8Length(text);
        }
    }

    /**
     * The tokens to settle to.
     *
     * @param whole true when the answer ran to its end, so a usage reported with it covers all of it
     */
    long charge(boolean whole) {
        this.whole = whole;
        long limitedInput = usage == null ? -1 : limitedInput(usage);
        long reported = usage == null ? -1 : limitedInput + Math.max(usage.outputTokens(), reservedOutput);
        if (usage != null && whole) {
            return reported;
        }
        long input = usage != null ? limitedInput : inputEstimate;
        long relayed = input + (outputBytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
        return Math.max(estimate, Math.max(reported, relayed));
    }

    /**
     * The input share of what the call settles to: the provider's count of the prompt when it gave one, else the
     * estimate's share for it (what a bucket that counts only input tokens settles to).
     */
    long chargedInput() {
        return usage != null ? limitedInput(usage) : inputEstimate;
    }

    /** The input tokens the provider counts against its token limit. */
    private long limitedInput(Usage u) {
        return cacheReadsCount ? u.inputTokens() : u.inputTokens() - u.cacheReadTokens();
    }

    /**
     * The tokens the provider bills for this call, to price it, once it settled: its usage when it reported
     * the whole answer's; otherwise its count of the input (or the estimate) and the larger
     * of its output count and what came back (at {@link #BYTES_PER_TOKEN} bytes a token); null when no usage
     * and no answer came (an error, a call never sent: nothing known to bill).
     */
    @Nullable
    Usage billable() {
        if (usage != null && !Boolean.FALSE.equals(whole)) {
            return usage;
        }
        long produced = (outputBytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
        if (usage != null) {
            return usage.withOutput(Math.max(usage.outputTokens(), produced), usage.reasoningTokens());
        }
        return outputBytes == 0 ? null : Usage.of(inputEstimate, produced);
    }

    /** True when {@link #billable} is the gateway's count rather than the provider's. */
    boolean billableIsEstimate() {
        return usage == null || Boolean.FALSE.equals(whole);
    }

    private static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
