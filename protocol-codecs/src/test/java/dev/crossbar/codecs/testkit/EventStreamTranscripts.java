package dev.crossbar.codecs.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.bedrock.EventStreamWriter;
import dev.crossbar.codecs.json.Json;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Bedrock's golden streams are binary, so they are kept as one frame a line ({@code .frames.jsonl}) and framed
 * here with the AWS event-stream encoding: {@code {"event": type, "payload": {...}}}, {@code {"exception": type,
 * "payload": {...}}}, a frame may set {@code "corruptCrc": true} (its last byte flipped), and a last line {@code
 * {"truncate": n}} cuts n bytes off the end.
 */
public final class EventStreamTranscripts {

    public static final String SUFFIX = ".frames.jsonl";

    private EventStreamTranscripts() {}

    public static List<String> cases(String dir) {
        return Golden.cases(dir, SUFFIX);
    }

    public static byte[] bytes(String dir, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int truncate = 0;
        for (JsonNode line : Golden.jsonLines(dir, name + SUFFIX)) {
            if (line.has("truncate")) {
                truncate = line.get("truncate").asInt();
                continue;
            }
            String payload = Json.string(line.get("payload"));
            byte[] frame = line.has("event")
                    ? EventStreamWriter.event(line.get("event").asText(), payload)
                    : EventStreamWriter.exception(line.get("exception").asText(), payload);
            if (line.path("corruptCrc").asBoolean()) {
                frame[frame.length - 1] ^= 0x01;
            }
            out.write(frame, 0, frame.length);
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, all.length - truncate);
    }
}
