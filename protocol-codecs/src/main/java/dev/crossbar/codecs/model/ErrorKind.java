package dev.crossbar.codecs.model;

/** Canonical error categories, each with the HTTP status clients expect for it. */
public enum ErrorKind {
    INVALID_REQUEST(400),
    AUTHENTICATION(401),
    PERMISSION(403),
    NOT_FOUND(404),
    REQUEST_TOO_LARGE(413),
    RATE_LIMIT(429),
    SERVER_ERROR(500),
    BAD_GATEWAY(502),
    OVERLOADED(503),
    TIMEOUT(504);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The kind a bare HTTP status from an upstream maps to. */
    public static ErrorKind fromStatus(int status) {
        return switch (status) {
            case 400, 422 -> INVALID_REQUEST;
            case 401 -> AUTHENTICATION;
            case 402, 403 -> PERMISSION;
            case 404 -> NOT_FOUND;
            case 413 -> REQUEST_TOO_LARGE;
            case 429 -> RATE_LIMIT;
            case 408, 504 -> TIMEOUT;
            case 502 -> BAD_GATEWAY;
            case 503, 529 -> OVERLOADED;
            default -> status >= 400 && status < 500 ? INVALID_REQUEST : SERVER_ERROR;
        };
    }
}
