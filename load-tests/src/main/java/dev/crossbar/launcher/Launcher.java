package dev.crossbar.launcher;

import dev.crossbar.bench.BenchCommand;
import dev.crossbar.gateway.cli.Args;
import dev.crossbar.gateway.cli.Main;
import dev.crossbar.mock.MockMain;
import java.util.Arrays;
import java.util.List;

/** Entry point of {@code ./crossbar}: demo, mock and bench live here, next to the mock providers; the rest is the node's. */
public final class Launcher {

    private Launcher() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length > 0) {
            String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
            try {
                switch (argv[0]) {
                    case "demo" -> {
                        System.exit(DemoCommand.run(new Args(argv, 1, List.of())));
                        return;
                    }
                    case "mock" -> {
                        MockMain.main(rest);
                        return;
                    }
                    case "bench" -> {
                        System.exit(BenchCommand.run(argv, 1));
                        return;
                    }
                    default -> {
                        // the node's own commands
                    }
                }
            } catch (Args.UsageException e) {
                System.err.println("crossbar: " + e.getMessage());
                System.err.println("Run ./crossbar --help for the commands and their options.");
                System.exit(2);
            }
        }
        System.exit(Main.run(argv));
    }
}
