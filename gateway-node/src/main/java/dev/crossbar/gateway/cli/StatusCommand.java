package dev.crossbar.gateway.cli;

/** {@code crossbar status}: the cluster and its keys as a table (filled in with the admin API). */
public final class StatusCommand {

    private StatusCommand() {}

    public static int run(Args args) {
        throw new Args.UsageException("status needs the admin API, which this build does not have yet");
    }
}
