package dev.crossbar.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process that the demo, a test or the bench started (a node, nginx, the mock, the peer gateway): its
 * output is appended to a log file, its CPU time (with its children's, e.g. nginx workers) is read from
 * /proc, and it is stopped by its own pid (TERM, then KILL), never by name. Every child process of
 * load-tests is one of these.
 */
public final class ChildProcess implements AutoCloseable {

    /** Clock ticks per second of /proc/[pid]/stat times (USER_HZ; 100 on Linux). */
    public static final long TICKS_PER_SECOND = 100;

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command}, its output (stdout and stderr) appended to {@code log}.
     *
     * @param environment variables added to this JVM's for the child
     */
    public static ChildProcess start(String name, List<String> command, Path log, Map<String, String> environment) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(environment);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new ChildProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The exit code; only once it has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    public Path log() {
        return log;
    }

    /** The last lines of its log, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all =
                    Arrays.asList(Files.readString(log, StandardCharsets.UTF_8).split("\n", -1));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * SIGTERM, then waits for the exit.
     *
     * @throws IllegalStateException if it did not exit within {@code timeout} (it is then killed)
     */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not stop within " + timeout + " of SIGTERM; killed it");
        }
        return process.exitValue();
    }

    /** SIGKILL, as a crash: nothing is drained. Waits for the exit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** User + system CPU seconds of the process and all its descendants, so far. */
    public double cpuSeconds() {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(p -> pids.add(p.pid()));
        long ticks = 0;
        for (long pid : pids) {
            ticks += cpuTicks(pid);
        }
        return (double) ticks / TICKS_PER_SECOND;
    }

    /** CPU seconds the JVM's JIT compiler threads (C1, C2) have used so far; 0 for other programs. */
    public double compilerSeconds() {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // a thread ended while we looked
                }
            }
        } catch (IOException gone) {
            return 0;
        }
        return (double) ticks / TICKS_PER_SECOND;
    }

    /** utime + stime of one process from /proc/[pid]/stat (0 when it is gone). */
    public static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** Stops it if it still runs: SIGTERM, and SIGKILL (to it and its descendants) after 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            stop(CLOSE_GRACE);
        } catch (IllegalStateException killed) {
            // it was killed after the grace period; nothing more to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
