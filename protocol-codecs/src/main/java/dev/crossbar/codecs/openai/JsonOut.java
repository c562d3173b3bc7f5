package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.crossbar.codecs.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Streaming JSON writes for the encoders on the hot path: a {@link JsonGenerator} straight into a
 * string or byte buffer, no intermediate tree. Shared by the OpenAI Chat and Responses codecs.
 */
public final class JsonOut {

    /** Writes one JSON value with the generator. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private JsonOut() {}

    public static String string(Body body) {
        SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler());
        try {
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
                body.write(g);
            }
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to memory", e);
        }
    }

    public static byte[] bytes(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to memory", e);
        }
        return out.toByteArray();
    }

    /** Writes {@code "name": value}, or {@code "name": null} when value is null. */
    public static void stringField(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    public static void numberField(JsonGenerator g, String name, Integer value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value.intValue());
        }
    }

    public static void numberField(JsonGenerator g, String name, Double value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value.doubleValue());
        }
    }
}
