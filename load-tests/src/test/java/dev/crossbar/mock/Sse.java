package dev.crossbar.mock;

import java.util.ArrayList;
import java.util.List;

/** A deliberately tiny SSE parser for tests, independent of any production decoder. */
final class Sse {

    /** One event; {@code event} is null when the stream names none. */
    record Event(String event, String data) {}

    private Sse() {}

    /** The complete events of {@code text}; a trailing partial event is left out. */
    static List<Event> parse(String text) {
        List<Event> out = new ArrayList<>();
        String event = null;
        StringBuilder data = null;
        int start = 0;
        while (true) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                return out;
            }
            String line = text.substring(start, nl);
            start = nl + 1;
            if (line.isEmpty()) {
                if (data != null) {
                    out.add(new Event(event, data.toString()));
                }
                event = null;
                data = null;
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                String value = line.substring(5);
                value = value.startsWith(" ") ? value.substring(1) : value;
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            }
        }
    }
}
