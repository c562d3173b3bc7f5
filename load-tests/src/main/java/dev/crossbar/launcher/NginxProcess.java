package dev.crossbar.launcher;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * nginx in the foreground ({@code daemon off}) as a child process, with its files in the directory of its
 * config: the demo's and the tests' load balancer (config from {@link LocalCluster#writeNginxConfig}) and
 * the bench's upstream, proxy and load balancers (config from {@code bench.NginxConfig}).
 */
public final class NginxProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final ChildProcess process;
    private final Path errorLog;

    private NginxProcess(ChildProcess process, Path errorLog) {
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

    /** The nginx binary, or an error saying how to install it. */
    public static Path require() {
        return find().orElseThrow(() -> new IllegalStateException("nginx is not installed (apt-get install nginx)"));
    }

    /**
     * Starts nginx with {@code config} (its directory is nginx's prefix; the config must not say {@code
     * daemon}) and waits until it accepts connections on {@code host:port}.
     */
    public static NginxProcess start(Path binary, Path config, String host, int port, Duration timeout)
            throws InterruptedException {
        Path dir = config.toAbsolutePath().getParent();
        Path errorLog = dir.resolve("nginx-error.log");
        // Something else listening there would pass the wait below while nginx fails to bind: refuse it first.
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException busy) {
            throw new IllegalStateException("cannot start nginx on " + host + ":" + port + ": the port is in use");
        }
        List<String> command = List.of(
                binary.toString(),
                "-p",
                dir.toString(),
                "-c",
                config.toAbsolutePath().toString(),
                "-e",
                errorLog.toString(),
                "-g",
                "daemon off;");
        ChildProcess process =
                ChildProcess.start("nginx " + dir.getFileName(), command, dir.resolve("nginx.out"), Map.of());
        NginxProcess nginx = new NginxProcess(process, errorLog);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.alive()) {
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
        return process.alive();
    }

    /** The nginx master (its CPU time includes its workers'). */
    public ChildProcess process() {
        return process;
    }

    /** SIGTERM: nginx closes at once (the nodes behind it finish their own requests). */
    @Override
    public void close() {
        try {
            process.stop(STOP_GRACE);
        } catch (IllegalStateException killed) {
            // it did not stop in time and was killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
