package dev.crossbar.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's output: marked sections replaced in place, medians, wrk's numbers. */
class ReportTest {

    @Test
    void shouldReplaceAMarkedSectionAndLeaveTheRestAlone(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("b.md");
        Files.writeString(doc, "# B\n\nintro\n\n<!-- bench:sections -->\n\nprofile notes\n");
        Report.replaceSection(doc, "plain", "table one");
        Report.replaceSection(doc, "pool", "pool table");
        Report.replaceSection(doc, "plain", "table two");
        assertEquals("""
                # B

                intro

                <!-- bench:plain:begin -->
                table two
                <!-- bench:plain:end -->

                <!-- bench:pool:begin -->
                pool table
                <!-- bench:pool:end -->

                <!-- bench:sections -->

                profile notes
                """, Files.readString(doc));
    }

    @Test
    void shouldTakeMediansAndReadWrk() {
        assertEquals(2.0, Report.median(java.util.List.of(3.0, 1.0, 2.0)), 0.0);
        assertEquals(2.5, Report.median(java.util.List.of(4.0, 1.0, 2.0, 3.0)), 0.0);
        double[] w = Bench.parseWrk("""
                  Latency Distribution
                     50%  412.00us
                     75%    1.20ms
                     90%    2.50ms
                     99%    8.10ms
                  123456 requests in 4.00s, 40.00MB read
                  Non-2xx or 3xx responses: 3
                Requests/sec:  30864.12
                """);
        assertArrayEquals(new double[] {30864.12, 0.412, 8.1, 3}, w, 1e-9);
    }
}
