package dev.crossbar.codecs.sse;

import dev.crossbar.codecs.json.JsonOutput;
import org.jspecify.annotations.Nullable;

/** Formats server-sent events. Data with line breaks becomes several {@code data:} lines. */
public final class SseWriter {

    private SseWriter() {}

    public static String data(String data) {
        return append(new StringBuilder(data.length() + 8), null, data).toString();
    }

    public static String event(String name, String data) {
        return append(new StringBuilder(data.length() + name.length() + 16), name, data)
                .toString();
    }

    /** Appends an event whose data is the JSON {@code body} writes, straight into {@code out}. */
    public static StringBuilder appendJson(StringBuilder out, @Nullable String name, JsonOutput.Body body) {
        if (name != null) {
            out.append("event: ").append(name).append('\n');
        }
        out.append("data: ");
        return JsonOutput.append(out, body).append("\n\n");
    }

    public static StringBuilder append(StringBuilder out, @Nullable String name, String data) {
        if (name != null) {
            out.append("event: ").append(name).append('\n');
        }
        int start = 0;
        int newline;
        while ((newline = data.indexOf('\n', start)) >= 0) {
            out.append("data: ").append(data, start, newline).append('\n');
            start = newline + 1;
        }
        return out.append("data: ").append(data, start, data.length()).append("\n\n");
    }
}
