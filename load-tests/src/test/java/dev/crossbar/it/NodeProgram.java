package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Node.js script of an npm test directory in load-tests (sdk-tests, agent-tests), run to its end with a
 * deadline. When the directory's packages are not installed the test is skipped, unless the given environment
 * variable is "true" (as .ci/run sets it), which makes it a failure.
 */
final class NodeProgram {

    private NodeProgram() {}

    /** The npm test directory, or an aborted/failed test when its node_modules is missing. */
    static Path installed(String directory, String requireVariable) {
        Path dir = GatewayHarness.repositoryFile(directory);
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            String why = "the npm packages are not installed: run 'npm ci' in " + dir;
            if (required(requireVariable)) {
                fail(why + " (" + requireVariable + "=true)");
            }
            Assumptions.abort(why);
        }
        return dir;
    }

    static boolean required(String requireVariable) {
        return "true".equalsIgnoreCase(System.getenv(requireVariable));
    }

    /** What a finished run printed. */
    record Result(int exitCode, String stdout, String stderr) {

        /** The lines of stdout that are JSON objects. */
        List<String> jsonLines() {
            List<String> out = new ArrayList<>();
            for (String line : stdout.split("\n", -1)) {
                if (line.startsWith("{")) {
                    out.add(line);
                }
            }
            return out;
        }
    }

    /** Runs {@code node args...} in {@code dir}; fails the test if it does not end within the deadline. */
    static Result run(Path dir, long timeoutSeconds, String requireVariable, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("node");
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).start();
        } catch (IOException noNode) {
            if (required(requireVariable)) {
                throw noNode;
            }
            Assumptions.abort("Node.js is not installed: " + noNode.getMessage());
            throw noNode;
        }
        Output stdout = Output.drain(process.getInputStream());
        Output stderr = Output.drain(process.getErrorStream());
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s\n" + stdout.text()
                    + stderr.text());
        }
        return new Result(process.exitValue(), stdout.text(), stderr.text());
    }

    /** A process stream read to its end on its own thread, so the child never blocks on a full pipe. */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread reader;

        private Output(InputStream in) {
            reader = new Thread(
                    () -> {
                        try (in) {
                            in.transferTo(bytes);
                        } catch (IOException e) {
                            // the process died; keep what was read
                        }
                    },
                    "node-program-output");
            reader.setDaemon(true);
        }

        static Output drain(InputStream in) {
            Output o = new Output(in);
            o.reader.start();
            return o;
        }

        String text() throws InterruptedException {
            reader.join(5_000);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
