package dev.crossbar.gateway.cli;

import java.util.List;

/** The node's command line: {@code run} and {@code status}; the launcher adds demo, mock, bench and test. */
public final class Main {

    public static final String USAGE = """
            Crossbar: one endpoint for every LLM protocol, one shared key pool for a cluster.

            Usage: ./crossbar <command> [options]

              demo [--port 8080] [--nodes N]     Start mock providers and N gateway nodes on 127.0.0.1
                                                 (one Hazelcast cluster); prints a curl that works.
              run --config FILE.yaml [--port P]  Start one node from a config file (${ENV_VAR} and
                                                 ${file:/path} in values are replaced). Refuses the
                                                 demo's tokens and replace-me placeholders unless
                                                 --allow-demo-secrets (loopback demos only).
              mock [--port 9090]                 Start the mock providers alone.
              status [--url URL] [--token T] [--json]
                                                 Show the cluster's members and every key's use.
              bench [scenario]                   Run the benchmarks (see docs/benchmarks.md).
              test                               Run the whole test suite (mvn -B verify).
              --help                             This text.

            Docs: README.md, docs/config.md, docs/architecture.md.
            """;

    private Main() {}

    public static void main(String[] argv) throws Exception {
        System.exit(run(argv));
    }

    public static int run(String[] argv) throws Exception {
        if (argv.length == 0 || List.of("--help", "-h", "help").contains(argv[0])) {
            System.out.print(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        try {
            return switch (argv[0]) {
                case "run" -> RunCommand.run(new Args(argv, 1, List.of("allow-demo-secrets")));
                case "status" -> StatusCommand.run(new Args(argv, 1, List.of("json")));
                default -> throw new Args.UsageException("unknown command '" + argv[0] + "'");
            };
        } catch (Args.UsageException e) {
            System.err.println("crossbar: " + e.getMessage());
            System.err.println("Run ./crossbar --help for the commands and their options.");
            return 2;
        }
    }
}
