package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.Endpoint;
import org.jspecify.annotations.Nullable;

/**
 * A client request as its method and path say: the protocol it speaks, what it asks, and the model and stream
 * flag a path may name (Gemini's {@code {model}:streamGenerateContent}).
 *
 * @param pathModel  the model the path names, or null
 * @param pathStream true when the path itself asks for a stream
 */
public record ClientRequest(
        ClientCodec codec, Endpoint endpoint, @Nullable String pathModel, boolean pathStream) {}
