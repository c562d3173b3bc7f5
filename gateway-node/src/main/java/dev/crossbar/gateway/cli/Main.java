package dev.crossbar.gateway.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * The node's entry point, what the container image and {@code ./crossbar run|status|usage} start: {@code run},
 * {@code status} and {@code --help}. The development commands (demo, mock, bench) live in load-tests.
 */
public final class Main {

    /** The node's commands as {@code --help} lists them; load-tests' launcher lists them among its own. */
    public static final String COMMANDS = """
              run --config FILE.yaml [--port P]  Start one node from a config file (${ENV_VAR} and
                                                 ${file:/path} in values are replaced). Refuses the
                                                 demo's tokens and replace-me placeholders unless
                                                 --allow-demo-secrets (loopback demos only).
              status [--url URL] [--token T] [--json]
                                                 Show the cluster's members and every key's use.
              usage [--from D] [--to D] [--team T] [--client-key K] [--model M] [--provider P]
                    [--period day|hour] [--group-by team,model,...] [--csv|--json] [--url U] [--token T]
                                                 Spend and tokens from the usage database
                                                 (usage --help for more).
            """;

    static final String USAGE = """
            Crossbar gateway node: one endpoint for every LLM protocol, one shared key pool for a cluster.

            Usage: crossbar <command> [options]

            """ + COMMANDS + """
              --help                             This text.

            Docs: README.md, docs/config.md, docs/deploy.md.
            """;

    private Main() {}

    public static void main(String[] argv) throws Exception {
        ParentProcess.stopWhenGone(System.getenv(ParentProcess.ENV));
        System.exit(run(argv));
    }

    public static int run(String[] argv) throws Exception {
        return run(argv, System.out, System.err);
    }

    /** The command's exit code; help and command-line mistakes go to {@code out} and {@code err}. */
    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        if (argv.length == 0 || List.of("--help", "-h", "help").contains(argv[0])) {
            out.print(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        try {
            return switch (argv[0]) {
                case "run" -> RunCommand.run(new Args(argv, 1, List.of("allow-demo-secrets")));
                case "status" -> StatusCommand.run(new Args(argv, 1, List.of("json")));
                case "usage" -> UsageCommand.run(new Args(argv, 1, List.of("json", "csv", "help")));
                default -> throw new Args.UsageException("unknown command '" + argv[0] + "'");
            };
        } catch (Args.UsageException e) {
            err.println("crossbar: " + e.getMessage());
            err.println("Run crossbar --help for the commands and their options.");
            return 2;
        }
    }
}
