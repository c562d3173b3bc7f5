package dev.crossbar.codecs.model;

import org.jspecify.annotations.Nullable;

/**
 * A request or response that cannot be decoded or cannot be expressed in the target protocol.
 * Carries the error the client should see; the edge turns it into the client protocol's shape.
 */
public final class CodecException extends RuntimeException {

    private final transient ApiError error;

    public CodecException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public static CodecException invalid(@Nullable String param, String message) {
        return new CodecException(ApiError.invalid(param, message));
    }

    /** The target protocol has no way to say what the client asked for. */
    public static CodecException unsupported(String param, String targetProtocol, String what) {
        return new CodecException(ApiError.invalid(
                param,
                what + " cannot be sent to a " + targetProtocol + " upstream; remove '" + param
                        + "' or choose a model served by another provider"));
    }

    public ApiError error() {
        return error;
    }
}
