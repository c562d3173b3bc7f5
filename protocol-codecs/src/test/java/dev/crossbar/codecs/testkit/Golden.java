package dev.crossbar.codecs.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Golden files under {@code src/test/resources/golden}. Run with {@code -Dgolden.update=true} to
 * (re)write the expected side from the current output, then review the diff before committing.
 */
public final class Golden {

    public static final Path ROOT = Paths.get("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private Golden() {}

    /** Base names of the files in {@code dir} ending with {@code suffix}, sorted. */
    public static List<String> cases(String dir, String suffix) {
        try (Stream<Path> files = Files.list(ROOT.resolve(dir))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(suffix))
                    .map(n -> n.substring(0, n.length() - suffix.length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String dir, String file) {
        try {
            return Files.readString(ROOT.resolve(dir).resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String dir, String file) {
        return text(dir, file).getBytes(StandardCharsets.UTF_8);
    }

    public static JsonNode json(String dir, String file) {
        try {
            return Json.MAPPER.readTree(text(dir, file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One JSON value per line. */
    public static ArrayNode jsonLines(String dir, String file) {
        ArrayNode out = Json.NODES.arrayNode();
        for (String line : text(dir, file).lines().toList()) {
            if (!line.isBlank()) {
                try {
                    out.add(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    public static void assertJson(String dir, String file, JsonNode actual) {
        JsonNode normal = Canon.reparse(actual);
        if (UPDATE) {
            write(dir, file, pretty(normal) + "\n");
            return;
        }
        JsonNode expected = json(dir, file);
        if (!expected.equals(normal)) {
            assertEquals(pretty(expected), pretty(normal), dir + "/" + file);
        }
    }

    public static void assertJsonLines(String dir, String file, ArrayNode actual) {
        JsonNode normal = Canon.reparse(actual);
        if (UPDATE) {
            StringBuilder sb = new StringBuilder();
            normal.forEach(n -> sb.append(Json.string(n)).append('\n'));
            write(dir, file, sb.toString());
            return;
        }
        ArrayNode expected = jsonLines(dir, file);
        if (!expected.equals(normal)) {
            StringBuilder e = new StringBuilder();
            expected.forEach(n -> e.append(Json.string(n)).append('\n'));
            StringBuilder a = new StringBuilder();
            normal.forEach(n -> a.append(Json.string(n)).append('\n'));
            assertEquals(e.toString(), a.toString(), dir + "/" + file);
        }
    }

    public static void assertText(String dir, String file, String actual) {
        if (UPDATE) {
            write(dir, file, actual);
            return;
        }
        assertEquals(text(dir, file), actual, dir + "/" + file);
    }

    private static void write(String dir, String file, String content) {
        try {
            Files.writeString(ROOT.resolve(dir).resolve(file), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pretty(JsonNode n) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feeds {@code all} to a fresh decoder cut at the sorted points, then ends it. */
    public static List<StreamEvent> decode(Supplier<UpstreamStreamDecoder> decoders, byte[] all, int... sortedCuts) {
        UpstreamStreamDecoder decoder = decoders.get();
        List<StreamEvent> events = new ArrayList<>();
        int from = 0;
        for (int cut : sortedCuts) {
            decoder.decode(all, from, cut - from, events::add);
            from = cut;
        }
        decoder.decode(all, from, all.length - from, events::add);
        decoder.end(events::add);
        return events;
    }

    public static String encode(ClientStreamEncoder encoder, List<StreamEvent> events) {
        StringBuilder sb = new StringBuilder();
        events.forEach(e -> sb.append(encoder.encode(e)));
        return sb.toString();
    }
}
