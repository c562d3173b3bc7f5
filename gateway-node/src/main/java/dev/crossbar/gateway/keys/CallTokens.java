package dev.crossbar.gateway.keys;

/**
 * What a call reserves in tokens before it is sent: in all, and split into the prompt and the output allowance
 * (for buckets that count input and output tokens apart, as Anthropic does).
 */
public record CallTokens(long total, long input, long output) {}
