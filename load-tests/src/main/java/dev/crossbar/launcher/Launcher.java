package dev.crossbar.launcher;

import dev.crossbar.bench.BenchCommand;
import dev.crossbar.gateway.cli.Args;
import dev.crossbar.gateway.cli.Main;
import dev.crossbar.mock.MockMain;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The development commands of {@code ./crossbar}: demo, mock, bench (and cluster-files for
 * {@code deploy/local/cluster.sh}), next to the mock providers. The node's own commands (run, status, usage) are
 * gateway-node's {@link Main}, which {@code ./crossbar} starts on the node's class path alone.
 */
public final class Launcher {

    static final String USAGE = """
            Crossbar: one endpoint for every LLM protocol, one shared key pool for a cluster.

            Usage: ./crossbar <command> [options]

              demo [--port 8080] [--nodes N]     Start mock providers and N gateway nodes on 127.0.0.1
                                                 (one Hazelcast cluster); prints a curl that works.
            """ + Main.COMMANDS + """
              mock [--port 9090]                 Start the mock providers alone.
              bench [scenario]                   Run the benchmarks (see docs/benchmarks.md).
              test                               Run the whole test suite (mvn -B verify).
              --help                             This text.

            Docs: README.md, docs/config.md, docs/architecture.md, CONTRIBUTING.md.
            """;

    private static final List<String> NODE_COMMANDS = List.of("run", "status", "usage");

    private Launcher() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length > 0 && argv[0].equals("mock")) {
            // The mock serves on Vert.x's threads after main returns: no System.exit here.
            MockMain.main(Arrays.copyOfRange(argv, 1, argv.length));
            return;
        }
        System.exit(run(argv, System.out, System.err));
    }

    /**
     * Every command but mock (which keeps the JVM running): the exit code. Help and command-line mistakes
     * go to {@code out} and {@code err}.
     */
    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        if (argv.length == 0 || List.of("--help", "-h", "help").contains(argv[0])) {
            out.print(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        try {
            switch (argv[0]) {
                case "demo" -> {
                    return DemoCommand.run(new Args(argv, 1, List.of()));
                }
                case "cluster-files" -> {
                    return ClusterFilesCommand.run(new Args(argv, 1, List.of()));
                }
                case "bench" -> {
                    return BenchCommand.run(argv, 1);
                }
                default ->
                    throw new Args.UsageException(
                            NODE_COMMANDS.contains(argv[0])
                                    ? "'" + argv[0] + "' is the node's command: ./crossbar " + argv[0]
                                            + " starts it from gateway-node/target/lib"
                                    : "unknown command '" + argv[0] + "'");
            }
        } catch (Args.UsageException e) {
            err.println("crossbar: " + e.getMessage());
            err.println("Run ./crossbar --help for the commands and their options.");
            return 2;
        }
    }
}
