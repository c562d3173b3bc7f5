package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A provider request as the mock received it, kept so tests can check what a gateway sent upstream.
 *
 * @param path the path without the query
 * @param query the query string, or null
 * @param headers the request headers, names lower-cased (the last value of a repeated header)
 * @param body the body bytes
 */
@SuppressWarnings("ArrayRecordComponent") // a log entry tests read field by field, never compare whole
public record SeenRequest(String method, String path, String query, Map<String, String> headers, byte[] body) {

    /** The body as JSON, or null when it is not JSON. */
    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
