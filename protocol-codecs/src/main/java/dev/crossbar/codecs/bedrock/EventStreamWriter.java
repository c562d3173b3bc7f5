package dev.crossbar.codecs.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Frames messages in the AWS event-stream encoding, string headers only: what Bedrock sends, for mocks and tests. */
public final class EventStreamWriter {

    private EventStreamWriter() {}

    public static byte[] frame(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            h.write(n.length);
            h.write(n, 0, n.length);
            h.write(7);
            h.write(v.length >>> 8);
            h.write(v.length & 0xFF);
            h.write(v, 0, v.length);
        });
        byte[] head = h.toByteArray();
        int total = 12 + head.length + payload.length + 4;
        byte[] out = new byte[total];
        putInt(out, 0, total);
        putInt(out, 4, head.length);
        putInt(out, 8, (int) EventStreamDecoder.crc(out, 0, 8));
        System.arraycopy(head, 0, out, 12, head.length);
        System.arraycopy(payload, 0, out, 12 + head.length, payload.length);
        putInt(out, total - 4, (int) EventStreamDecoder.crc(out, 0, total - 4));
        return out;
    }

    /** An event as Bedrock sends it: {@code :event-type}, JSON content type, {@code :message-type event}. */
    public static byte[] event(String type, String json) {
        return frame(
                orderedHeaders(EventStreamMessage.EVENT_TYPE, type, EventStreamMessage.MESSAGE_TYPE, "event"),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** An exception in the stream: {@code :exception-type} and {@code :message-type exception}. */
    public static byte[] exception(String type, String json) {
        return frame(
                orderedHeaders(EventStreamMessage.EXCEPTION_TYPE, type, EventStreamMessage.MESSAGE_TYPE, "exception"),
                json.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> orderedHeaders(String k1, String v1, String k2, String v2) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put(k1, v1);
        headers.put(EventStreamMessage.CONTENT_TYPE, "application/json");
        headers.put(k2, v2);
        return headers;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
