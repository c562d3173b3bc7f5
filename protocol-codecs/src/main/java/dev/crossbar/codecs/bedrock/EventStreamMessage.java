package dev.crossbar.codecs.bedrock;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One message of the AWS event-stream framing: its headers (string values as sent, the other types in a readable
 * form) and its payload. Bedrock's stream messages name their kind in {@code :message-type} ({@code event} or
 * {@code exception}) and {@code :event-type} / {@code :exception-type}.
 */
@SuppressWarnings("ArrayRecordComponent") // a carrier from the decoder to the codec; never hashed
public record EventStreamMessage(Map<String, String> headers, byte[] payload) {

    public static final String MESSAGE_TYPE = ":message-type";
    public static final String EVENT_TYPE = ":event-type";
    public static final String EXCEPTION_TYPE = ":exception-type";
    public static final String CONTENT_TYPE = ":content-type";

    public EventStreamMessage {
        headers = Map.copyOf(headers);
    }

    public @Nullable String header(String name) {
        return headers.get(name);
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventStreamMessage m
                && headers.equals(m.headers)
                && java.util.Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return headers.hashCode() * 31 + java.util.Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "EventStreamMessage" + headers + " " + payloadText();
    }
}
