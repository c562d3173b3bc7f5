package dev.crossbar.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** nginx in the foreground ({@code daemon off}) as a child process, with its files in one directory. */
public final class NginxProcess implements AutoCloseable {

    private final Process process;
    private final Path errorLog;

    private NginxProcess(Process process, Path errorLog) {
        this.process = process;
        this.errorLog = errorLog;
    }

    /** The nginx binary on PATH or in the usual sbin directories (Debian puts it in /usr/sbin). */
    public static Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator, -1)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, "nginx"));
                }
            }
        }
        for (String dir : List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin", "/opt/homebrew/bin")) {
            candidates.add(Path.of(dir, "nginx"));
        }
        return candidates.stream()
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    /**
     * Stops an nginx that an earlier run in {@code dir} left behind (its starter was killed outright), so
     * it does not hold the port. Returns whether there was one.
     */
    public static boolean stopLeftover(Path dir) throws InterruptedException {
        Path pidFile = dir.resolve("nginx.pid");
        long pid;
        try {
            pid = Long.parseLong(
                    Files.readString(pidFile, StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException none) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().info().command().orElse("").contains("nginx")) {
            return false;
        }
        handle.get().destroy();
        handle.get().onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
        return true;
    }

    /**
     * Starts nginx with {@code config} (rendered by {@link LocalCluster#writeNginxConfig}) and waits until
     * it accepts connections on {@code host:port}.
     */
    public static NginxProcess start(Path binary, Path config, String host, int port, Duration timeout)
            throws InterruptedException {
        Path dir = config.toAbsolutePath().getParent();
        Path errorLog = dir.resolve("nginx-error.log");
        ProcessBuilder builder = new ProcessBuilder(
                        binary.toString(),
                        "-p",
                        dir.toString(),
                        "-c",
                        config.toAbsolutePath().toString(),
                        "-e",
                        errorLog.toString(),
                        "-g",
                        "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("nginx.out").toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        NginxProcess nginx = new NginxProcess(process, errorLog);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + nginx.errors(dir));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 500);
                return nginx;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    nginx.close();
                    throw new IllegalStateException("nginx did not listen on " + host + ":" + port + " within "
                            + timeout + ": " + nginx.errors(dir));
                }
            }
            Thread.sleep(50);
        }
    }

    private String errors(Path dir) {
        StringBuilder sb = new StringBuilder();
        for (Path f : List.of(dir.resolve("nginx.out"), errorLog)) {
            try {
                sb.append(Files.readString(f, StandardCharsets.UTF_8).strip()).append(' ');
            } catch (IOException e) {
                // not written
            }
        }
        return sb.toString().strip();
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM: nginx closes at once (the nodes behind it finish their own requests). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
