package dev.crossbar.bench;

import dev.crossbar.launcher.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the bench says about the box it ran on, and how busy other people's processes keep it: the
 * CPU time the whole machine spent (/proc/stat) minus what this JVM and its descendants spent.
 */
final class Machine {

    private Machine() {}

    /** CPU-busy seconds of the whole machine and of this process tree, at one moment. */
    record CpuSnapshot(long nanos, double machineBusy, double ours) {

        static CpuSnapshot now() {
            return new CpuSnapshot(System.nanoTime(), machineBusySeconds(), ourSeconds());
        }

        /** Cores that processes outside this tree kept busy, on average, since {@code before}. */
        double foreignCoresSince(CpuSnapshot before) {
            double elapsed = (nanos - before.nanos) / 1e9;
            if (elapsed <= 0) {
                return 0;
            }
            return Math.max(0, ((machineBusy - before.machineBusy) - (ours - before.ours)) / elapsed);
        }
    }

    static double machineBusySeconds() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+", -1);
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return (double) (total - idle) / ChildProcess.TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static double ourSeconds() {
        ProcessHandle self = ProcessHandle.current();
        long ticks = ChildProcess.cpuTicks(self.pid());
        for (ProcessHandle p : self.descendants().toList()) {
            ticks += ChildProcess.cpuTicks(p.pid());
        }
        return (double) ticks / ChildProcess.TICKS_PER_SECOND;
    }

    static String loadavgLine() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Cores used by other processes over a short sample while the bench is idle. */
    static double foreignCores(long sampleMillis) throws InterruptedException {
        CpuSnapshot before = CpuSnapshot.now();
        Thread.sleep(sampleMillis);
        return CpuSnapshot.now().foreignCoresSince(before);
    }

    static String cpuModel() {
        String lscpu = run("lscpu");
        for (String line : lscpu.lines().toList()) {
            if (line.startsWith("Model name:")) {
                return line.substring("Model name:".length()).trim();
            }
        }
        return "?";
    }

    static String javaVersion() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    static String gitCommit(Path root) {
        String commit = run("git", "-C", root.toString(), "rev-parse", "--short", "HEAD")
                .trim();
        String dirty = run("git", "-C", root.toString(), "status", "--porcelain", "--untracked-files=no")
                .trim();
        return commit.isEmpty() ? "?" : commit + (dirty.isEmpty() ? "" : " (with uncommitted changes)");
    }

    /** Runs a short command and returns its output ("" when it fails or is missing). */
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":", -1)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }

    static String which(String tool) {
        List<String> dirs = new ArrayList<>(
                List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.add("/usr/sbin");
        for (String dir : dirs) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        return null;
    }
}
