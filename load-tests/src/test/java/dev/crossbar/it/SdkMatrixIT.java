package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    private static final String REQUIRE = "CROSSBAR_REQUIRE_SDKS";

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldServeEveryOfficialSdkOnEveryDemoModel() throws Exception {
        Path sdkTests = NodeProgram.installed("load-tests/sdk-tests", REQUIRE);
        try (GatewayHarness gateway = GatewayHarness.demo(1)) {
            NodeProgram.Result run = NodeProgram.run(
                    sdkTests, NODE_TIMEOUT_SECONDS, REQUIRE, List.of("matrix.mjs", gateway.url(), "crossbar-demo"));
            List<String> cases = run.jsonLines();
            List<String> failed = new ArrayList<>();
            for (String line : cases) {
                JsonNode result = Http.JSON.readTree(line);
                if (!result.path("ok").asBoolean()) {
                    failed.add(line);
                }
            }
            String report = "matrix.mjs exited " + run.exitCode() + "; failed cases:\n" + String.join("\n", failed)
                    + "\n\nall output:\n" + run.stdout() + run.stderr();
            assertTrue(failed.isEmpty(), report);
            assertEquals(0, run.exitCode(), report);
            assertEquals(CASES, cases.size(), report);
        }
    }
}
