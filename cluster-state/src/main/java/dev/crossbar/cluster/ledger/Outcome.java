package dev.crossbar.cluster.ledger;

/** How an upstream call on a key ended, as far as the key's health is concerned. */
public enum Outcome {
    SUCCESS,
    /** 429: the provider says the key is over a limit. */
    RATE_LIMITED,
    /** 401/403: the provider rejects the key itself. */
    REJECTED,
    /** 5xx, 529, timeout, connection failure: the provider is unwell. */
    FAILED,
    /** The call ended without telling us about the key (client went away, request invalid). */
    NEUTRAL,
    /**
     * The provider says the key's account has no money or quota left (OpenAI 429 insufficient_quota,
     * Anthropic "credit balance is too low", 402): no short wait ends it.
     */
    OUT_OF_CREDIT
}
