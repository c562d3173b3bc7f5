package dev.crossbar.codecs.model;

import org.jspecify.annotations.Nullable;

/**
 * One canonical streaming event. Upstream stream decoders produce them; client stream encoders turn
 * them into the client's wire events. A well-formed stream is:
 * {@code Start, (TextDelta | ThinkingDelta | ThinkingSignature | RedactedThinking | ToolCallStart ToolCallDelta*)*,
 * Finish, UsageUpdate?, End},
 * or ends early with {@code Error}. Encoders keep whatever block state their protocol needs.
 */
public sealed interface StreamEvent {

    /** The reply has begun. {@code usage} carries input tokens when the upstream reports them early. */
    record Start(
            @Nullable String id,
            @Nullable String model,
            @Nullable Usage usage) implements StreamEvent {}

    record TextDelta(String text) implements StreamEvent {}

    record ThinkingDelta(String text) implements StreamEvent {}

    /**
     * The signature of the reasoning just streamed (Anthropic closes a thinking block with it; Gemini signs
     * the part that follows; OpenAI's encrypted reasoning ends its item), kept so the client can replay it.
     */
    record ThinkingSignature(String signature, @Nullable Issuer issuer) implements StreamEvent {}

    /** A block of withheld reasoning, whole (Anthropic {@code redacted_thinking}), for replay to its issuer. */
    record RedactedThinking(String data, Issuer issuer) implements StreamEvent {}

    /** A new tool call; {@code toolIndex} counts tool calls from 0 within this reply. */
    record ToolCallStart(int toolIndex, String id, @Nullable String name) implements StreamEvent {}

    /** A fragment of the arguments JSON text of the call at {@code toolIndex}. */
    record ToolCallDelta(int toolIndex, String argumentsFragment) implements StreamEvent {}

    record Finish(FinishReason reason, @Nullable String stopSequence) implements StreamEvent {}

    /** Cumulative usage so far; the last one wins. */
    record UsageUpdate(Usage usage) implements StreamEvent {}

    /** The upstream stream completed normally. */
    record End() implements StreamEvent {}

    /** The stream failed after it started; encoders emit the client protocol's in-stream error. */
    @SuppressWarnings("JavaLangClash") // always written StreamEvent.Error, the protocols' own name for the event
    record Error(ApiError error) implements StreamEvent {}
}
