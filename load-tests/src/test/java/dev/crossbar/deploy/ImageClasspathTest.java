package dev.crossbar.deploy;

import static dev.crossbar.deploy.DeployFiles.DEPLOY;
import static dev.crossbar.deploy.DeployFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crossbar.gateway.cli.Main;
import dev.crossbar.launcher.NodeProcess;
import dev.crossbar.mock.MockMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product is not shipped from the test rig: the node image's class path is gateway-node's build
 * output (its jar and runtime dependencies in {@code gateway-node/target/lib}), with no class of
 * load-tests (mock providers, launcher, benchmarks, tests) and none of their libraries (JMH and its
 * dependencies, HdrHistogram). The lib directory is written at package, so under {@code mvn test} alone
 * (no package yet) the checks of its contents are skipped; {@code mvn verify} and {@code ./crossbar test}
 * package gateway-node before load-tests' tests run.
 */
class ImageClasspathTest {

    private static final Path DOCKERFILE = DEPLOY.resolve("Dockerfile");
    private static final String IMAGE_LIB = "/opt/crossbar/lib/";
    /** Where the build stage's WORKDIR puts the repository. */
    private static final String BUILD_ROOT = "/src/";
    /** Libraries only load-tests uses: JMH (with jopt-simple and commons-math3) and HdrHistogram. */
    private static final Pattern TEST_RIG_JAR =
            Pattern.compile("(load-tests|jmh-.*|jopt-simple|commons-math3|HdrHistogram)-[0-9].*\\.jar");
    /** Their packages, should one come in under another name (a shaded or renamed jar). */
    private static final List<String> TEST_RIG_PACKAGES = List.of("org/openjdk/jmh/", "org/HdrHistogram/");

    @Test
    void shouldShipOnlyGatewayNodesBuildOutputInTheNodeImage() {
        List<String> node = DeployFiles.finalStage(DOCKERFILE);
        List<String> libCopies = node.stream()
                .filter(i -> i.startsWith("COPY ") && i.endsWith(" " + IMAGE_LIB))
                .toList();
        assertEquals(
                List.of("COPY --from=build " + BUILD_ROOT + NodeProcess.NODE_LIB + "/ " + IMAGE_LIB),
                libCopies,
                "the image's lib is gateway-node's target/lib from the build stage, nothing else");
        List<String> entrypoint = DeployFiles.execForm(DeployFiles.instruction(node, "ENTRYPOINT"));
        int cp = entrypoint.indexOf("-cp");
        assertEquals(IMAGE_LIB + "*", entrypoint.get(cp + 1), "the class path is the lib alone: " + entrypoint);
        assertEquals(Main.class.getName(), entrypoint.get(entrypoint.size() - 1));
        assertTrue(
                Files.isRegularFile(ROOT.resolve("gateway-node/src/main/java")
                        .resolve(Main.class.getName().replace('.', '/') + ".java")),
                "the entry point is gateway-node's own");

        List<String> build = DeployFiles.dockerStages(DOCKERFILE).get("build");
        assertFalse(
                build.stream().anyMatch(i -> i.startsWith("COPY load-tests/src")),
                "the node's build stage does not even see load-tests' sources: " + build);
        String mvn = build.stream()
                .filter(i -> i.startsWith("RUN ") && i.contains("mvn "))
                .findFirst()
                .orElseThrow();
        assertTrue(
                mvn.contains(" -pl gateway-node -am "), "the node's build builds gateway-node and its modules: " + mvn);
    }

    @Test
    void shouldHoldNoLoadTestsClassAndNoTestRigLibraryOnTheImagesClassPath() {
        Path lib = builtLib(ROOT.resolve(NodeProcess.NODE_LIB));
        List<String> jars = fileNames(lib);
        assertTrue(jars.stream().allMatch(n -> n.endsWith(".jar")), "only jars: " + jars);
        assertTrue(jars.stream().noneMatch(n -> n.endsWith("-tests.jar")), "no test jar: " + jars);
        for (String module : List.of("gateway-node", "protocol-codecs", "cluster-state")) {
            assertTrue(jars.stream().anyMatch(n -> n.startsWith(module + "-")), module + "'s jar is shipped: " + jars);
        }
        assertTrue(
                jars.stream().anyMatch(n -> n.startsWith("vertx-core-"))
                        && jars.stream().anyMatch(n -> n.startsWith("hazelcast-")),
                "the node's runtime dependencies are shipped: " + jars);
        assertTrue(
                entries(lib).contains(Main.class.getName().replace('.', '/') + ".class"),
                "the node's entry point is on the class path");

        assertEquals(List.of(), testRigOn(lib), "nothing of the test rig on the node's class path " + lib);
    }

    /** The check above can fail: it finds the rig by a jar's name, by a library's package, and by our classes. */
    @Test
    void shouldFindTheTestRigByNameAndByContent(@TempDir Path lib) throws Exception {
        Path hdr = jarOf(org.HdrHistogram.Histogram.class);
        Files.copy(hdr, lib.resolve(hdr.getFileName()));
        Files.copy(jarOf(org.openjdk.jmh.Main.class), lib.resolve("renamed-1.0.jar"));
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(lib.resolve("innocent-1.0.jar")))) {
            jar.putNextEntry(new ZipEntry(MockMain.class.getName().replace('.', '/') + ".class"));
            jar.closeEntry();
        }
        assertEquals(
                List.of(
                        hdr.getFileName().toString(),
                        "innocent-1.0.jar!" + MockMain.class.getName().replace('.', '/') + ".class",
                        "renamed-1.0.jar!org/openjdk/jmh/"),
                testRigOn(lib).stream()
                        .map(f -> f.startsWith("renamed") ? f.substring(0, f.indexOf("jmh/") + 4) : f)
                        .toList());
    }

    private static Path jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Jars of the test rig by name, and jars holding a load-tests class or a test-rig library's package. */
    private static List<String> testRigOn(Path lib) {
        Set<String> rigClasses = loadTestsClasses();
        assertFalse(rigClasses.isEmpty(), "load-tests' classes are compiled");
        List<String> found = new ArrayList<>();
        for (String jar : fileNames(lib)) {
            if (TEST_RIG_JAR.matcher(jar).matches()) {
                found.add(jar);
                continue;
            }
            for (String entry : entries(lib.resolve(jar))) {
                if (rigClasses.contains(entry) || TEST_RIG_PACKAGES.stream().anyMatch(entry::startsWith)) {
                    found.add(jar + "!" + entry);
                    break;
                }
            }
        }
        return found;
    }

    /** Every class file load-tests compiles (main and test), as jar entry names. */
    private static Set<String> loadTestsClasses() {
        Set<String> classes = new TreeSet<>();
        for (String dir : List.of("load-tests/target/classes", "load-tests/target/test-classes")) {
            Path root = ROOT.resolve(dir);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .forEach(f -> classes.add(root.relativize(f).toString().replace('\\', '/')));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return classes;
    }

    private static Path builtLib(Path lib) {
        assumeTrue(
                Files.isDirectory(lib),
                lib + " is written at package: run mvn verify (or ./crossbar test) to check the image's class path");
        return lib;
    }

    private static List<String> fileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry names of a jar, or of every jar in a directory. */
    private static Set<String> entries(Path jarOrDir) {
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(jarOrDir)) {
            fileNames(jarOrDir).forEach(n -> names.addAll(entries(jarOrDir.resolve(n))));
            return names;
        }
        try (ZipFile zip = new ZipFile(jarOrDir.toFile())) {
            zip.stream().map(ZipEntry::getName).forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jarOrDir, e);
        }
        return names;
    }
}
