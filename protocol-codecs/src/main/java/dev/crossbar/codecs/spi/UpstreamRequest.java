package dev.crossbar.codecs.spi;

/**
 * An encoded upstream call: {@code path} is relative to the provider's base URL (which carries the
 * version prefix, e.g. {@code https://api.openai.com/v1}) and may include a query string.
 */
@SuppressWarnings("ArrayRecordComponent") // a carrier to the HTTP client, never compared or hashed; no copy per request
public record UpstreamRequest(String path, byte[] body, boolean stream) {}
