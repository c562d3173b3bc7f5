package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenMeterTest {

    /** Estimated 1,030 tokens: 30 for the prompt, 1,000 for the answer. */
    private final TokenMeter meter = new TokenMeter(1_030, 30, 0);

    @Test
    void shouldSettleAWholeAnswerToWhatTheProviderReported() {
        meter.produced(new StreamEvent.TextDelta("x".repeat(9_000)));
        meter.reported(Usage.of(12, 40));
        assertEquals(52, meter.charge(true));
    }

    @Test
    void shouldChargeAtLeastTheRequestedMaxAsTheProviderDoes() {
        TokenMeter capped = new TokenMeter(530, 30, 500);
        capped.reported(Usage.of(12, 40));
        assertEquals(512, capped.charge(true));
    }

    @Test
    void shouldChargeWhatWasProducedWhenNoUsageCameAndNeverLessThanTheEstimate() {
        meter.produced(new StreamEvent.TextDelta("short"));
        assertEquals(1_030, meter.charge(true), "a short answer keeps its estimate");
        meter.produced(new StreamEvent.TextDelta("a".repeat(6_000)));
        meter.produced(new StreamEvent.ThinkingDelta("b".repeat(3_000)));
        meter.produced(new StreamEvent.ToolCallStart(0, "call_1", "lookup"));
        meter.produced(new StreamEvent.ToolCallDelta(0, "{\"q\":1}"));
        meter.produced(new StreamEvent.Finish(FinishReason.STOP, null));
        long bytes = 5 + 6_000 + 3_000 + 6 + 7;
        assertEquals(30 + (bytes + 2) / 3, meter.charge(true));
        assertNull(meter.usage());
    }

    @Test
    void shouldCountMultiByteTextByItsUtf8Bytes() {
        meter.produced(new StreamEvent.TextDelta("日本".repeat(1_000) + "é".repeat(1_500) + "😀".repeat(750)));
        assertEquals(30 + (6_000 + 3_000 + 3_000) / 3, meter.charge(false));
    }

    @Test
    void shouldNotTrustAPartialUsageOfAnAnswerThatBrokeOff() {
        meter.reported(Usage.of(25, 1)); // Anthropic's message_start: input known, output not yet
        meter.produced(new StreamEvent.TextDelta("c".repeat(4_500)));
        assertEquals(25 + 1_500, meter.charge(false));
        assertEquals(26, meter.charge(true), "once whole, the provider's last count is the charge");
    }

    @Test
    void shouldTakeNoUsageFromAnAllZeroCount() {
        meter.reported(Usage.ZERO);
        assertNull(meter.usage());
        meter.produced(new ChatResponse(
                "id",
                "m",
                List.of(new ContentPart.Text("d".repeat(4_200)), new ContentPart.ToolCall("c", "f", "{}")),
                FinishReason.STOP,
                null,
                null,
                0));
        assertNull(meter.usage(), "an answer without usage decodes to zero usage, which is no count");
        assertEquals(30 + (4_200 + 1 + 2 + 2) / 3, meter.charge(true));
    }

    @Test
    void shouldLeaveCacheReadsOutOfTheChargeOnlyForAProviderThatDoes() {
        Usage cached = new Usage(5_340, 60, 5_000, 300, 0, 20); // 40 uncached, 5,000 read, 300 written
        TokenMeter anthropic = new TokenMeter(1_030, 30, 100, false);
        anthropic.reported(cached);
        assertEquals(340 + 100, anthropic.charge(true), "uncached input and writes, and the reserved max");
        TokenMeter openAi = new TokenMeter(1_030, 30, 100, true);
        openAi.reported(cached);
        assertEquals(5_340 + 100, openAi.charge(true), "every prompt token");
    }

    @Test
    void shouldBillTheProvidersUsageOfAWholeAnswer() {
        Usage reported = new Usage(5_340, 60, 5_000, 300, 100, 20);
        meter.produced(new StreamEvent.TextDelta("x".repeat(900)));
        meter.reported(reported);
        meter.charge(true);
        assertEquals(reported, meter.billable());
        assertEquals(false, meter.billableIsEstimate());
    }

    @Test
    void shouldBillWhatCameBackOfAnAnswerThatBrokeOff() {
        meter.reported(new Usage(25, 1, 10, 0, 0, 0)); // Anthropic's message_start: input known
        meter.produced(new StreamEvent.TextDelta("c".repeat(4_500)));
        meter.charge(false);
        assertEquals(new Usage(25, 1_500, 10, 0, 0, 0), meter.billable(), "the provider's input, the output produced");
        assertEquals(true, meter.billableIsEstimate());
    }

    @Test
    void shouldBillTheEstimatedInputAndWhatCameBackWhenNoUsageCame() {
        meter.produced(new StreamEvent.TextDelta("c".repeat(300)));
        meter.charge(true);
        assertEquals(Usage.of(30, 100), meter.billable());
        assertEquals(true, meter.billableIsEstimate());
    }

    @Test
    void shouldBillNothingKnownWhenNeitherUsageNorAnswerCame() {
        meter.charge(false);
        assertNull(meter.billable());
    }
}
