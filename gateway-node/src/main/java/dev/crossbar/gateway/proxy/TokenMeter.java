package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;

/**
 * What one upstream call settles to in the token buckets (DESIGN.md 4). The provider's own count when it
 * reported one for the whole answer; otherwise what was produced, counted from the text that came back, and
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
    private Usage usage;
    private long outputBytes;

    /**
     * @param estimate       what was charged up front
     * @param inputEstimate  the estimate's share for the prompt (request bytes / 4)
     * @param reservedOutput the max tokens the request asked for, or 0
     */
    TokenMeter(long estimate, long inputEstimate, long reservedOutput) {
        this.estimate = estimate;
        this.inputEstimate = inputEstimate;
        this.reservedOutput = reservedOutput;
    }

    /** The provider's count so far (cumulative: the last one wins); an all-zero usage is no count. */
    void reported(Usage seen) {
        if (seen != null && (seen.inputTokens() > 0 || seen.outputTokens() > 0)) {
            usage = seen;
        }
    }

    /** The provider's count, or null when it gave none. */
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

    private void count(String text) {
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
        long reported = usage == null ? -1 : usage.inputTokens() + Math.max(usage.outputTokens(), reservedOutput);
        if (usage != null && whole) {
            return reported;
        }
        long input = usage != null ? usage.inputTokens() : inputEstimate;
        long relayed = input + (outputBytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
        return Math.max(estimate, Math.max(reported, relayed));
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
