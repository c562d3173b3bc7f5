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
        exitWithParent(System.getenv(NodeProcess.PARENT_PID_ENV));
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
                    case "cluster-files" -> {
                        System.exit(ClusterFilesCommand.run(new Args(argv, 1, List.of())));
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

    /**
     * A node started by a local cluster (the demo, the tests) stops like on SIGTERM when the process that
     * started it goes away, even if that one was killed outright: no orphaned nodes.
     */
    private static void exitWithParent(String parentPid) {
        if (parentPid == null || parentPid.isBlank()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(parentPid.strip());
        } catch (NumberFormatException e) {
            System.err.println(
                    "crossbar: ignoring " + NodeProcess.PARENT_PID_ENV + "=" + parentPid + " (not a process id)");
            return;
        }
        ProcessHandle.of(pid)
                .ifPresentOrElse(
                        parent -> parent.onExit().thenRun(() -> {
                            System.err.println(
                                    "crossbar: process " + pid + " that started this node is gone; stopping");
                            System.exit(0);
                        }),
                        () -> System.exit(0));
    }
}
