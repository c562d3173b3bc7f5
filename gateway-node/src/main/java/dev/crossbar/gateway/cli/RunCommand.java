package dev.crossbar.gateway.cli;

import dev.crossbar.gateway.admin.Operations;
import dev.crossbar.gateway.config.ConfigException;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.NodeConfig;
import dev.crossbar.gateway.config.PlaceholderSecrets;
import dev.crossbar.gateway.metrics.AccessLog;
import dev.crossbar.gateway.metrics.JsonLogs;
import dev.crossbar.gateway.node.GatewayNode;
import dev.crossbar.gateway.upstream.DefaultCodecs;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code crossbar run --config FILE.yaml}: one node from a config file, until SIGTERM or Ctrl-C. */
public final class RunCommand {

    private RunCommand() {}

    public static int run(Args args) throws Exception {
        args.allow(List.of("config", "port", "allow-demo-secrets"));
        String file = args.get("config");
        if (file == null) {
            throw new Args.UsageException("run needs --config FILE.yaml (see docs/config.md; examples/ has one)");
        }
        GatewayConfig config;
        try {
            config = new ConfigLoader().load(Path.of(file));
        } catch (ConfigException e) {
            System.err.println("crossbar: config error: " + e.getMessage());
            System.err.println(
                    "crossbar: the node did not start; fix the field above (docs/config.md lists every field)");
            return 2;
        }
        List<String> placeholders = PlaceholderSecrets.found(config);
        if (!placeholders.isEmpty() && !args.flag("allow-demo-secrets")) {
            System.err.println("crossbar: " + file + ": " + String.join(", ", placeholders)
                    + " holds a demo or placeholder value (crossbar-admin, crossbar-demo, replace-me-...) that anyone"
                    + " who read the README can present");
            System.err.println("crossbar: the node did not start; put secrets of your own there, e.g. from"
                    + " `openssl rand -hex 32`, through ${ENV_VAR} or ${file:/path} (docs/security.md)");
            return 2;
        }
        if (args.get("port") != null) {
            config = config.withNode(
                    config.node().withPort(args.integer("port", config.node().port())));
        }
        GatewayNode node = start(config);
        System.out.println("Crossbar node " + node.memberId() + " serving on " + baseUrl(config) + " (cluster '"
                + config.cluster().name() + "', " + (node.vertx().isNativeTransportEnabled() ? "epoll" : "NIO")
                + " transport, " + bufferKind() + " buffers)");
        awaitShutdown(node);
        return 0;
    }

    /** Netty's buffer allocator: "pooled" with deploy/jvm.options, "adaptive" (Netty 4.2's default) without. */
    private static String bufferKind() {
        return ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator ? "pooled" : "adaptive";
    }

    /**
     * Starts a node with the production codecs, access log (metrics are the node's own) and operations
     * surface; blocks until it serves.
     */
    public static GatewayNode start(GatewayConfig config) throws Exception {
        if (config.node().jsonLogs()) {
            JsonLogs.install();
        }
        return GatewayNode.start(
                        config, new DefaultCodecs(), new AccessLog(config.node().jsonLogs()), Operations::new)
                .toCompletionStage()
                .toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
    }

    public static String baseUrl(GatewayConfig config) {
        return (config.node().tls() != null ? "https://" : "http://")
                + config.node().host() + ":" + config.node().port();
    }

    /** Blocks until the JVM is asked to stop, then stops the node gracefully. */
    public static void awaitShutdown(GatewayNode... nodes) throws InterruptedException {
        Thread main = Thread.currentThread();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (GatewayNode node : nodes) {
                                try {
                                    NodeConfig config = node.config().node();
                                    long budget = config.drainNotice().toSeconds()
                                            + config.drainTimeout().toSeconds()
                                            + 15;
                                    node.stop()
                                            .toCompletionStage()
                                            .toCompletableFuture()
                                            .get(budget, TimeUnit.SECONDS);
                                } catch (Exception e) {
                                    System.err.println(
                                            "crossbar: node " + node.memberId() + " did not stop cleanly: " + e);
                                }
                            }
                            main.interrupt();
                        },
                        "crossbar-shutdown"));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException stopping) {
            // the shutdown hook stops the nodes
        }
    }
}
