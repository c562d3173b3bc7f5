package dev.crossbar.deploy;

import static dev.crossbar.deploy.DeployFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * CONTRIBUTING.md's "where a change goes" map names classes ({@code http.InboundServer}) and paths: each
 * must exist, so moving a class without moving its name in the map fails here instead of misleading the
 * next newcomer.
 */
class ContributingMapTest {

    private static final Path CONTRIBUTING = ROOT.resolve("CONTRIBUTING.md");
    private static final Pattern FENCED = Pattern.compile("```.*?```", Pattern.DOTALL);
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#]+)\\)");
    /** {@code package.Class} (or a longer package) as the map writes it. */
    private static final Pattern CLASS_NAME = Pattern.compile("[a-z]+(\\.[a-z]+)*\\.[A-Z][A-Za-z0-9]*");

    @Test
    void shouldNameOnlyClassesThatExist() {
        Set<String> sources = javaSources();
        List<String> missing = new ArrayList<>();
        Set<String> names = classNames(text());
        for (String name : names) {
            String suffix = "/" + name.replace('.', '/') + ".java";
            if (sources.stream().noneMatch(s -> s.endsWith(suffix))) {
                missing.add(name);
            }
        }
        assertTrue(names.size() >= 50, "the map names the classes a change touches: " + names.size());
        assertEquals(List.of(), missing, "CONTRIBUTING.md names classes that do not exist");
    }

    @Test
    void shouldPointOnlyAtFilesThatExist() {
        List<String> missing = new ArrayList<>();
        Set<String> paths = paths(text());
        for (String path : paths) {
            if (!Files.exists(ROOT.resolve(path))) {
                missing.add(path);
            }
        }
        assertTrue(paths.size() >= 10, "the map points at files and folders: " + paths);
        assertEquals(List.of(), missing, "CONTRIBUTING.md points at paths that do not exist");
    }

    @Test
    void shouldTellAClassNameFromOtherCode() {
        String sample = "`http.InboundServer`, `codecs.<x>`, `mvn -B test`, `errorprone.args`, `deploy/Dockerfile`,"
                + " `gateway-node/target/lib`, [docs](docs/config.md)\n```bash\nmvn `not.Read`\n```";
        assertEquals(Set.of("http.InboundServer"), classNames(sample));
        assertEquals(Set.of("deploy/Dockerfile", "docs/config.md"), paths(sample));
    }

    private static Set<String> classNames(String markdown) {
        Set<String> names = new TreeSet<>();
        for (String code : codeSpans(markdown)) {
            if (CLASS_NAME.matcher(code).matches()) {
                names.add(code);
            }
        }
        return names;
    }

    /** Repository paths in code spans and links; build output (target/) and patterns are not checked. */
    private static Set<String> paths(String markdown) {
        Set<String> paths = new TreeSet<>();
        for (String code : codeSpans(markdown)) {
            if (code.contains("/") && !code.matches(".*[\\s*<$].*") && !code.contains("...") && !builtOutput(code)) {
                paths.add(code);
            }
        }
        Matcher links = LINK.matcher(withoutFences(markdown));
        while (links.find()) {
            paths.add(links.group(1));
        }
        return paths;
    }

    private static boolean builtOutput(String path) {
        return path.startsWith("target/") || path.contains("/target/") || path.endsWith("/target");
    }

    private static List<String> codeSpans(String markdown) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE.matcher(withoutFences(markdown));
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }

    private static String withoutFences(String markdown) {
        return FENCED.matcher(markdown).replaceAll("");
    }

    private static String text() {
        return DeployFiles.read(CONTRIBUTING);
    }

    private static Set<String> javaSources() {
        Set<String> sources = new TreeSet<>();
        for (String module : List.of("protocol-codecs", "cluster-state", "gateway-node", "load-tests")) {
            for (String tree : List.of("src/main/java", "src/test/java")) {
                Path dir = ROOT.resolve(module).resolve(tree);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(f -> f.toString().endsWith(".java"))
                            .forEach(f -> sources.add(f.toString().replace('\\', '/')));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return sources;
    }
}
