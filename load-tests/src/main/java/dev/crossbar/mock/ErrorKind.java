package dev.crossbar.mock;

/** The errors the mock answers with; each protocol maps them to its own status and shape. */
enum ErrorKind {
    BAD_REQUEST,
    UNAUTHORIZED,
    NOT_FOUND,
    RATE_LIMITED,
    SERVER_ERROR,
    /** Anthropic 529, OpenAI and Gemini 503. */
    OVERLOADED,
    /** The account has no money: OpenAI 429 insufficient_quota, Anthropic 400, Gemini 429 RESOURCE_EXHAUSTED. */
    NO_CREDIT
}
