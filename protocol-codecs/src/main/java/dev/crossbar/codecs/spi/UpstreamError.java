package dev.crossbar.codecs.spi;

import dev.crossbar.codecs.model.ApiError;

/**
 * An upstream failure as read from its body.
 *
 * @param retryAfterMs a retry delay the body states (Gemini RetryInfo), or -1; headers are read elsewhere
 */
public record UpstreamError(ApiError error, long retryAfterMs) {}
