package dev.crossbar.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * N gateway node processes that form one Hazelcast cluster on loopback, optionally behind nginx: what
 * {@code ./crossbar demo --nodes N}, the scaling benchmark and the integration tests of node processes all
 * start. The configs come from {@link LocalCluster} (one per node of a {@link LocalCluster.Layout}); each
 * node is a {@link NodeProcess} logging to {@code dir/node-N.log}. Stopping stops nginx first, then every
 * node at once with SIGTERM (each drains, returns its leases and leaves).
 */
public final class NodeCluster implements AutoCloseable {

    /** How long {@link #close} gives each node to drain and leave. */
    public static final Duration DEFAULT_STOP = Duration.ofSeconds(45);

    private final LocalCluster.Layout layout;
    private final Path dir;
    private final List<NodeProcess> nodes;
    private volatile NginxProcess balancer;

    private NodeCluster(LocalCluster.Layout layout, Path dir, List<NodeProcess> nodes) {
        this.layout = layout;
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
    }

    /**
     * The node processes of {@code configs} (one per node of {@code layout}), not started yet.
     *
     * @param jvmFlags    each node's flags after {@code @deploy/jvm.options}, e.g. {@code -Xmx384m}
     * @param environment extra variables for each node (e.g. what the configs' placeholders name)
     */
    public static NodeCluster of(
            LocalCluster.Layout layout,
            List<Path> configs,
            Path dir,
            List<String> jvmFlags,
            Map<String, String> environment) {
        if (configs.size() != layout.nodes()) {
            throw new IllegalArgumentException(
                    "one config per node: " + configs.size() + " configs, " + layout.nodes() + " nodes");
        }
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < layout.nodes(); i++) {
            Path log = dir.resolve("node-" + (i + 1) + ".log");
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the old " + log, e);
            }
            nodes.add(
                    new NodeProcess("node " + (i + 1), configs.get(i), layout.nodeUrl(i), log, jvmFlags, environment));
        }
        return new NodeCluster(layout, dir, nodes);
    }

    public LocalCluster.Layout layout() {
        return layout;
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    public NodeProcess node(int index) {
        return nodes.get(index);
    }

    /** Each node's own URL. */
    public List<String> urls() {
        List<String> urls = new ArrayList<>();
        nodes.forEach(n -> urls.add(n.url()));
        return urls;
    }

    /** nginx in front, once {@link #startBalancer} started it; else null. */
    public NginxProcess balancer() {
        return balancer;
    }

    /**
     * Starts every node, then waits until each is ready and sees all the others.
     *
     * @throws IllegalStateException with the end of its log when a node exits or is not ready in time
     */
    public void start(Duration timeout) throws InterruptedException {
        nodes.forEach(NodeProcess::start);
        for (NodeProcess n : nodes) {
            n.awaitReady(nodes.size(), timeout);
        }
    }

    /**
     * Starts nginx on the layout's balancer port in front of the nodes, with the config that {@link
     * LocalCluster#writeNginxConfig} renders from {@code deploy/local/nginx.conf.template} into the cluster's
     * directory; waits until it listens.
     */
    public NginxProcess startBalancer(Path nginx, Duration timeout) throws InterruptedException {
        Path conf = LocalCluster.writeNginxConfig(
                LocalCluster.repoRoot().resolve(LocalCluster.NGINX_TEMPLATE), layout, dir);
        balancer = NginxProcess.start(nginx, conf, layout.host(), layout.balancerPort(), timeout);
        return balancer;
    }

    /**
     * Stops nginx, then every node at once with SIGTERM, each given {@code drain}; a node that does not stop in
     * time is killed, and said so on stderr.
     */
    public void stop(Duration drain) {
        NginxProcess n = balancer;
        if (n != null) {
            n.close();
        }
        List<Thread> stoppers = new ArrayList<>();
        for (NodeProcess p : nodes) {
            Thread t = new Thread(
                    () -> {
                        try {
                            p.stop(drain);
                        } catch (IllegalStateException e) {
                            System.err.println("crossbar: " + e.getMessage());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "stop-" + p.name());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join(drain.toMillis() + 15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** SIGKILL to every node (nothing drains), then nginx stops. */
    public void kill() throws InterruptedException {
        for (NodeProcess p : nodes) {
            p.kill();
        }
        NginxProcess n = balancer;
        if (n != null) {
            n.close();
        }
    }

    /** {@link #stop} with {@link #DEFAULT_STOP}. */
    @Override
    public void close() {
        stop(DEFAULT_STOP);
    }
}
