package dev.crossbar.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The node's command line: its own commands only; the development commands are load-tests'. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldListTheNodesCommandsAndNoDevelopmentCommandInItsHelp() throws Exception {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : new String[] {"run --config", "status [--url", "--help"}) {
            assertTrue(help.contains("\n  " + command), command + " in:\n" + help);
        }
        for (String devCommand : new String[] {"demo", "mock", "bench", "test"}) {
            assertFalse(help.contains("\n  " + devCommand + " "), devCommand + " is not the node's:\n" + help);
        }
    }

    @Test
    void shouldPrintTheHelpAndExit2WithoutACommand() throws Exception {
        assertEquals(2, run());
        assertEquals(Main.USAGE, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseADevelopmentCommandAsUnknown() throws Exception {
        assertEquals(2, run("demo"));
        assertTrue(err().contains("unknown command 'demo'"), err());
    }

    @Test
    void shouldNameTheMissingOptionOfRun() throws Exception {
        assertEquals(2, run("run"));
        assertTrue(err().contains("run needs --config FILE.yaml"), err());
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private int run(String... argv) throws Exception {
        return Main.run(
                argv,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
