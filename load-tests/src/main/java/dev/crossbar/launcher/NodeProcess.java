package dev.crossbar.launcher;

import dev.crossbar.gateway.cli.Main;
import dev.crossbar.gateway.cli.ParentProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One gateway node as its own JVM, started as the image and {@code ./crossbar run} start it: {@code java
 * @deploy/jvm.options -cp 'gateway-node/target/lib/*' dev.crossbar.gateway.cli.Main run --config FILE},
 * the node's own class path with nothing of load-tests on it. It can be started again after it stopped
 * (same config, same ports); its output goes to a log file. The child watches this process and stops
 * (gracefully) when it goes away, so nothing is orphaned.
 */
public final class NodeProcess {

    /** The node's build output: its jar and runtime dependencies (gateway-node's pom writes it at package). */
    public static final Path NODE_LIB = Path.of("gateway-node", "target", "lib");

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private static final Pattern MEMBERS = Pattern.compile("\"members\"\\s*:\\s*(\\d+)");

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final String url;
    private volatile ChildProcess process;

    /**
     * @param jvmFlags    flags after {@code @deploy/jvm.options}, e.g. {@code -Xmx512m}
     * @param environment extra variables for the node (e.g. MOCK_BASE_URL)
     */
    public NodeProcess(
            String name, Path config, String url, Path log, List<String> jvmFlags, Map<String, String> environment) {
        this(
                name,
                config,
                url,
                log,
                jvmFlags,
                environment,
                LocalCluster.repoRoot().resolve(NODE_LIB));
    }

    /**
     * A node on the class path of another build: every jar in {@code lib} (that build's
     * {@code gateway-node/target/lib}), e.g. the baseline of {@code ./crossbar bench compare}.
     */
    public NodeProcess(
            String name,
            Path config,
            String url,
            Path log,
            List<String> jvmFlags,
            Map<String, String> environment,
            Path lib) {
        this.name = name;
        this.url = url;
        this.log = log;
        this.environment = Map.copyOf(environment);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("@" + LocalCluster.repoRoot().resolve(LocalCluster.JVM_OPTIONS));
        cmd.addAll(jvmFlags);
        cmd.addAll(nodeMain(lib));
        cmd.add("run");
        cmd.add("--config");
        cmd.add(config.toAbsolutePath().toString());
        // The demo's and the tests' nodes run on loopback with the demo's well-known tokens.
        cmd.add("--allow-demo-secrets");
        this.command = List.copyOf(cmd);
    }

    /**
     * {@code -cp <the node's lib>/* dev.crossbar.gateway.cli.Main}: what follows the JVM flags to start a node.
     *
     * @throws IllegalStateException if gateway-node has not been packaged
     */
    public static List<String> nodeMain() {
        return nodeMain(LocalCluster.repoRoot().resolve(NODE_LIB));
    }

    private static List<String> nodeMain(Path lib) {
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("no " + lib + ": build the node first (mvn -B -DskipTests package;"
                    + " ./crossbar does it on first use)");
        }
        return List.of("-cp", lib.resolve("*").toString(), Main.class.getName());
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        ChildProcess p = process;
        return p == null ? -1 : p.pid();
    }

    public boolean alive() {
        ChildProcess p = process;
        return p != null && p.alive();
    }

    /** The running JVM (for its CPU time), or null before the first start. */
    public ChildProcess process() {
        return process;
    }

    /** Starts the JVM (appending to its log); returns at once: see {@link #awaitReady}. */
    public synchronized void start() {
        if (alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Map<String, String> env = new HashMap<>(environment);
        env.put(ParentProcess.ENV, Long.toString(ProcessHandle.current().pid()));
        process = ChildProcess.start(name, command, log, env);
    }

    /**
     * Waits until the node answers {@code /health/ready} with 200 and sees {@code members} members.
     *
     * @throws IllegalStateException with the end of its log if it exits or the time runs out
     */
    public void awaitReady(int members, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            ChildProcess p = process;
            if (p == null || !p.alive()) {
                throw new IllegalStateException(
                        name + " exited (" + (p == null ? "never started" : "code " + p.exitValue()) + "); the end of "
                                + log + ":\n" + tail(40));
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url + "/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher m = MEMBERS.matcher(r.body());
                if (r.statusCode() == 200 && m.find() && Integer.parseInt(m.group(1)) >= members) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " not ready with " + members + " members within " + timeout + " (last: "
                + last + "); the end of " + log + ":\n" + tail(40));
    }

    /** SIGTERM, as an orchestrator stops a node: it drains, returns its leases and leaves. Waits for the exit. */
    public int stop(Duration timeout) throws InterruptedException {
        ChildProcess p = process;
        return p == null ? 0 : p.stop(timeout);
    }

    /** SIGKILL, as a crash: nothing is drained or returned. Waits for the exit. */
    public void kill() throws InterruptedException {
        ChildProcess p = process;
        if (p != null) {
            p.kill();
        }
    }

    /** The last lines of the node's log. */
    public String tail(int lines) {
        ChildProcess p = process;
        return p != null ? p.tail(lines) : "(not started)";
    }
}
