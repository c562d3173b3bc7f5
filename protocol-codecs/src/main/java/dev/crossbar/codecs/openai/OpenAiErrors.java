package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI error shape {@code {"error":{"message","type","param","code"}}}, used by both the Chat
 * Completions and the Responses client codecs.
 */
public final class OpenAiErrors {

    private OpenAiErrors() {}

    /** The {@code error.type} OpenAI uses for this kind of failure. */
    public static String type(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, REQUEST_TOO_LARGE -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case RATE_LIMIT -> "rate_limit_error";
            case SERVER_ERROR, BAD_GATEWAY, OVERLOADED, TIMEOUT -> "server_error";
        };
    }

    /** The {@code error.code}, or null where OpenAI sends none. */
    public static @Nullable String code(ErrorKind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "invalid_api_key";
            case REQUEST_TOO_LARGE -> "request_too_large";
            case RATE_LIMIT -> "rate_limit_exceeded";
            case BAD_GATEWAY -> "bad_gateway";
            case OVERLOADED -> "overloaded";
            case TIMEOUT -> "timeout";
            default -> null;
        };
    }

    /** The whole error body. */
    public static byte[] body(ApiError error) {
        return JsonOutput.bytes(g -> {
            g.writeStartObject();
            g.writeFieldName("error");
            writeErrorObject(g, error);
            g.writeEndObject();
        });
    }

    /** {@code {"message","type","param","code"}}. */
    public static void writeErrorObject(JsonGenerator g, ApiError error) throws IOException {
        g.writeStartObject();
        g.writeStringField("message", error.message());
        g.writeStringField("type", type(error.kind()));
        JsonOutput.stringField(g, "param", error.param());
        JsonOutput.stringField(g, "code", code(error.kind()));
        g.writeEndObject();
    }
}
