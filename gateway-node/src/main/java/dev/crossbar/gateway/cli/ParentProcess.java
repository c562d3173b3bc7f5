package dev.crossbar.gateway.cli;

import java.util.Optional;

/**
 * A node started by a local cluster (the demo, the tests, the benchmarks) names its starter in
 * {@value #ENV} and stops like on SIGTERM when that process goes away, even if it was killed outright:
 * no orphaned nodes. Unset (as in the container image), nothing is watched.
 */
public final class ParentProcess {

    public static final String ENV = "CROSSBAR_PARENT_PID";

    private ParentProcess() {}

    static void stopWhenGone(String parentPid) {
        if (parentPid == null || parentPid.isBlank()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(parentPid.strip());
        } catch (NumberFormatException e) {
            System.err.println("crossbar: ignoring " + ENV + "=" + parentPid + " (not a process id)");
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        if (parent.isEmpty()) {
            System.exit(0);
            return;
        }
        // Nothing waits on this: the action ends the JVM (the shutdown hooks stop the node).
        var unused = parent.get().onExit().thenRun(() -> {
            System.err.println("crossbar: process " + pid + " that started this node is gone; stopping");
            System.exit(0);
        });
    }
}
