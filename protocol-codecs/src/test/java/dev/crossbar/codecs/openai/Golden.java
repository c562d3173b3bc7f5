package dev.crossbar.codecs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crossbar.codecs.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Golden files under {@code src/test/resources/golden}. Run with {@code -Dgolden.update=true} to write
 * the actual output over the expected files (then read the diff before committing it).
 */
public final class Golden {

    static final boolean UPDATE = Boolean.getBoolean("golden.update");
    static final Path ROOT = Paths.get("src/test/resources/golden");

    private Golden() {}

    /** The files in {@code dir} (relative to the golden root) whose names end with {@code suffix}, sorted. */
    public static List<Path> files(String dir, String suffix) {
        try (Stream<Path> s = Files.list(ROOT.resolve(dir))) {
            List<Path> out = s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
            assertTrue(!out.isEmpty(), "no golden files *" + suffix + " in " + dir);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code file} with its suffix replaced. */
    public static Path sibling(Path file, String suffix, String newSuffix) {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.substring(0, name.length() - suffix.length()) + newSuffix);
    }

    public static String name(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - suffix.length());
    }

    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(Path file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    public static JsonNode json(Path file) {
        try {
            return Json.MAPPER.readTree(bytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JsonNode> jsonLines(Path file) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text(file).lines().toList()) {
            if (!line.isBlank()) {
                out.add(parse(line));
            }
        }
        return out;
    }

    public static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void assertJson(Path expected, JsonNode actual) {
        JsonNode normalised = parse(Json.string(actual));
        if (update(expected, pretty(normalised) + "\n")) {
            return;
        }
        JsonNode want = json(expected);
        if (!want.equals(normalised)) {
            assertEquals(pretty(want), pretty(normalised), expected.toString());
        }
    }

    public static void assertJsonLines(Path expected, List<JsonNode> actual) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : actual) {
            sb.append(Json.string(n)).append('\n');
        }
        if (update(expected, sb.toString())) {
            return;
        }
        List<JsonNode> want = jsonLines(expected);
        List<JsonNode> got = new ArrayList<>();
        for (JsonNode n : actual) {
            got.add(parse(Json.string(n)));
        }
        if (!want.equals(got)) {
            assertEquals(lines(want), lines(got), expected.toString());
        }
    }

    public static void assertText(Path expected, String actual) {
        if (update(expected, actual)) {
            return;
        }
        assertEquals(text(expected), actual, expected.toString());
    }

    private static boolean update(Path expected, String content) {
        if (UPDATE) {
            try {
                Files.writeString(expected, content, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }
        if (!Files.exists(expected)) {
            fail("missing golden file " + expected + "; run with -Dgolden.update=true to create it. Actual:\n"
                    + content);
        }
        return false;
    }

    private static String lines(List<JsonNode> nodes) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : nodes) {
            sb.append(Json.string(n)).append('\n');
        }
        return sb.toString();
    }

    private static String pretty(JsonNode n) {
        try {
            return Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
