package dev.crossbar.codecs.model;

/**
 * Why generation stopped, in the canonical vocabulary. The per-protocol mapping table lives in
 * docs/protocols.md; each codec implements its row.
 */
public enum FinishReason {
    /** Natural end of the turn. */
    STOP,
    /** A caller-supplied stop sequence matched. */
    STOP_SEQUENCE,
    /** The token limit was reached. */
    LENGTH,
    /** The model called one or more tools. */
    TOOL_CALLS,
    /** Output was withheld by a safety filter or refusal. */
    CONTENT_FILTER,
    /** The provider ended generation for another reason (malformed call, error). */
    OTHER
}
