package dev.crossbar.codecs.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.Writer;
import org.jspecify.annotations.Nullable;

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
        // As ObjectMapper.writeValueAsBytes does: the first block comes from the recycler and goes back.
        BufferRecycler recycler = Json.MAPPER.getFactory()._getBufferRecycler();
        try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
                body.write(g);
            }
            return out.getClearAndRelease();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        } finally {
            recycler.releaseToPool();
        }
    }

    /** {@code s} escaped for a JSON string, without the quotes, in UTF-8. */
    public static byte[] escapedUtf8(String s) {
        return QUOTER.quoteAsUTF8(s);
    }

    /**
     * Appends the JSON to {@code out}, with no String in between: for stream events built in a
     * StringBuilder. Compact JSON has no raw line break, so it is always one SSE data line.
     */
    public static StringBuilder append(StringBuilder out, Body body) {
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(new AppendingWriter(out))) {
            body.write(g);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        return out;
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
    public static void stringField(JsonGenerator g, String name, @Nullable String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    /** Writes {@code "name": value}, or {@code "name": null} when value is null. */
    public static void numberField(JsonGenerator g, String name, @Nullable Integer value) throws IOException {
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

    /** A Writer onto a StringBuilder; the generator buffers, so it is called once per value or so. */
    private static final class AppendingWriter extends Writer {
        private final StringBuilder out;

        AppendingWriter(StringBuilder out) {
            this.out = out;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            out.append(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            out.append(text, offset, offset + length);
        }

        @Override
        public void write(int c) {
            out.append((char) c);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** Appends {@code text} as a quoted JSON string; for small hand-built stream events. */
    public static StringBuilder quote(StringBuilder out, @Nullable String text) {
        out.append('"');
        QUOTER.quoteAsString(text, out);
        return out.append('"');
    }
}
