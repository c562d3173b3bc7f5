package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official SDKs from npm ({@code openai}, {@code @anthropic-ai/sdk}, {@code @google/genai}), unchanged,
 * against the demo (examples/demo.yaml on ephemeral ports): {@code load-tests/sdk-tests/matrix.mjs} runs
 * every SDK against every demo model, plain and streamed, with and without tools. Skipped when the SDKs are
 * not installed ({@code npm ci} in load-tests/sdk-tests), unless {@code CROSSBAR_REQUIRE_SDKS=true}, as
 * .ci/run sets it, makes that a failure.
 */
class SdkMatrixIT {

    /** SDKs x models x plain/stream x tools/none (5 x 4 x 2 x 2), and countTokens on each model. */
    private static final int CASES = 84;

    private static final long NODE_TIMEOUT_SECONDS = 45;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldServeEveryOfficialSdkOnEveryDemoModel() throws Exception {
        Path sdkTests = GatewayHarness.repositoryFile("load-tests/sdk-tests");
        boolean required = "true".equalsIgnoreCase(System.getenv("CROSSBAR_REQUIRE_SDKS"));
        if (!Files.isDirectory(sdkTests.resolve("node_modules"))) {
            String why = "the SDKs are not installed: run 'npm ci' in " + sdkTests;
            if (required) {
                fail(why + " (CROSSBAR_REQUIRE_SDKS=true)");
            }
            Assumptions.abort(why);
        }
        try (GatewayHarness gateway = GatewayHarness.demo(1)) {
            Process node = start(sdkTests, gateway.url(), "crossbar-demo", required);
            Output stdout = Output.drain(node.getInputStream());
            Output stderr = Output.drain(node.getErrorStream());
            if (!node.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail("matrix.mjs did not finish within " + NODE_TIMEOUT_SECONDS + " s\n" + stdout.text()
                        + stderr.text());
            }
            String out = stdout.text();
            List<String> failed = new ArrayList<>();
            int cases = 0;
            for (String line : out.lines().toList()) {
                if (!line.startsWith("{")) {
                    continue;
                }
                cases++;
                JsonNode result = Http.JSON.readTree(line);
                if (!result.path("ok").asBoolean()) {
                    failed.add(line);
                }
            }
            String report = "matrix.mjs exited " + node.exitValue() + "; failed cases:\n" + String.join("\n", failed)
                    + "\n\nall output:\n" + out + stderr.text();
            assertTrue(failed.isEmpty(), report);
            assertEquals(0, node.exitValue(), report);
            assertEquals(CASES, cases, report);
        }
    }

    private static Process start(Path dir, String url, String key, boolean required) throws IOException {
        try {
            return new ProcessBuilder("node", "matrix.mjs", url, key)
                    .directory(dir.toFile())
                    .start();
        } catch (IOException noNode) {
            if (required) {
                throw noNode;
            }
            Assumptions.abort("Node.js is not installed: " + noNode.getMessage());
            throw noNode;
        }
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
                    "sdk-matrix-output");
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
