package dev.crossbar.codecs.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;

/**
 * Streaming JSON output for the hot paths, shared by every codec: bodies are written with a
 * {@link JsonGenerator} (bound to {@link Json#MAPPER}, so {@code writeTree} works) straight into bytes
 * or a string, with no intermediate tree.
 */
public final class JsonOutput {

    /** What to write; IOExceptions cannot happen on in-memory targets and are rethrown unchecked. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static final JsonStringEncoder QUOTER = JsonStringEncoder.getInstance();

    private JsonOutput() {}

    public static byte[] bytes(Body body) {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        return out.toByteArray();
    }

    public static String string(Body body) {
        // As ObjectMapper.writeValueAsString does: the recycler goes back to its pool when done.
        BufferRecycler recycler = Json.MAPPER.getFactory()._getBufferRecycler();
        try (SegmentedStringWriter out = new SegmentedStringWriter(recycler)) {
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
                body.write(g);
            }
            return out.getAndClear();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        } finally {
            recycler.releaseToPool();
        }
    }

    /** Writes {@code "name": value}, or {@code "name": null} when value is null. */
    public static void stringField(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    /** Writes {@code "name": value}, or {@code "name": null} when value is null. */
    public static void numberField(JsonGenerator g, String name, Integer value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value.intValue());
        }
    }

    /** Writes {@code "name": value}, or {@code "name": null} when value is null. */
    public static void numberField(JsonGenerator g, String name, Double value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value.doubleValue());
        }
    }

    /** Appends {@code text} as a quoted JSON string; for small hand-built stream events. */
    public static StringBuilder quote(StringBuilder out, String text) {
        out.append('"');
        QUOTER.quoteAsString(text, out);
        return out.append('"');
    }
}
