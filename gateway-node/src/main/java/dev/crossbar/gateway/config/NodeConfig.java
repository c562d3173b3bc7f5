package dev.crossbar.gateway.config;

import java.time.Duration;

/**
 * The client-facing HTTP side of one node.
 *
 * @param maxBodyBytes   larger request bodies get a 413 before they are read whole
 * @param eventLoops     Vert.x event loops serving requests (default: one per core)
 * @param drainTimeout   how long a stopping node lets in-flight requests finish
 * @param drainNotice    how long a stopping node answers not-ready while it still serves, before it stops
 *                       accepting: a load balancer's health check has that long to take it out
 * @param headerTimeout  a new connection must send its request headers within this (slow-loris guard)
 * @param bodyTimeout    a request body must arrive whole within this
 * @param managementPort when set, /metrics and /health/* are served on this port too (0 = off)
 */
public record NodeConfig(
        String host,
        Integer port,
        Long maxBodyBytes,
        Integer eventLoops,
        TlsConfig tls,
        Duration drainTimeout,
        Duration drainNotice,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        Integer managementPort,
        Boolean jsonLogs) {

    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DRAIN_NOTICE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);

    public NodeConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? DEFAULT_PORT : port;
        Check.port("port", port);
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        Check.positive("maxBodyBytes", maxBodyBytes);
        eventLoops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
        Check.positive("eventLoops", eventLoops);
        drainTimeout = drainTimeout == null ? DEFAULT_DRAIN_TIMEOUT : drainTimeout;
        drainNotice = drainNotice == null ? DEFAULT_DRAIN_NOTICE : drainNotice;
        Check.notNegative("drainNotice", drainNotice.toMillis());
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        headerTimeout = headerTimeout == null ? Duration.ofSeconds(10) : headerTimeout;
        Check.positive("headerTimeout", headerTimeout.toMillis());
        bodyTimeout = bodyTimeout == null ? Duration.ofSeconds(30) : bodyTimeout;
        Check.positive("bodyTimeout", bodyTimeout.toMillis());
        managementPort = managementPort == null ? 0 : managementPort;
        Check.port("managementPort", managementPort);
        jsonLogs = jsonLogs != null && jsonLogs;
    }

    public static NodeConfig defaults() {
        return new NodeConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public NodeConfig withPort(int newPort) {
        return new NodeConfig(
                host,
                newPort,
                maxBodyBytes,
                eventLoops,
                tls,
                drainTimeout,
                drainNotice,
                idleTimeout,
                headerTimeout,
                bodyTimeout,
                managementPort,
                jsonLogs);
    }

    public NodeConfig withDrainNotice(Duration notice) {
        return new NodeConfig(
                host,
                port,
                maxBodyBytes,
                eventLoops,
                tls,
                drainTimeout,
                notice,
                idleTimeout,
                headerTimeout,
                bodyTimeout,
                managementPort,
                jsonLogs);
    }

    /** TLS for the client-facing port, from PEM files. */
    public record TlsConfig(String certPath, String keyPath) {
        public TlsConfig {
            Check.required("certPath", certPath);
            Check.required("keyPath", keyPath);
        }
    }
}
