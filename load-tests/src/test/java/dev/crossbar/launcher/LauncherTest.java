package dev.crossbar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ./crossbar --help} lists every command, the node's included; the node's commands run elsewhere. */
class LauncherTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldListEveryCommandInTheHelp() throws Exception {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : new String[] {"demo", "run", "status", "mock", "bench", "test", "--help"}) {
            assertTrue(help.contains("\n  " + command + " "), command + " in:\n" + help);
        }
        assertTrue(help.contains(Main.COMMANDS), "the node's commands as the node describes them:\n" + help);
    }

    @Test
    void shouldPointTheNodesCommandsAtTheNode() throws Exception {
        for (String command : new String[] {"run", "status"}) {
            err.reset();
            assertEquals(2, run(command, "--config", "x.yaml"));
            assertTrue(
                    err.toString(StandardCharsets.UTF_8).contains("'" + command + "' is the node's command"),
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldRefuseAnUnknownCommand() throws Exception {
        assertEquals(2, run("serve"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'serve'"));
    }

    private int run(String... argv) throws Exception {
        return Launcher.run(
                argv,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
