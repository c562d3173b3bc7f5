package dev.crossbar.gateway.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The client-facing HTTP side of one node.
 *
 * @param maxBodyBytes   larger request bodies get a 413 before they are read whole
 * @param eventLoops     Vert.x event loops serving requests (default: one per core)
 * @param drainTimeout   how long a stopping node lets in-flight requests finish
 * @param drainNotice    how long a stopping node answers not-ready while it still serves, before it stops
 *                       accepting: a load balancer's health check has that long to take it out
 * @param headerTimeout  each request's headers must arrive whole within this from their first byte (on a new
 *                       connection, from the connection's opening): the slow-loris guard
 * @param maxConnections client connections this node holds at once; one more is closed as it opens
 * @param bodyTimeout    a request body must arrive whole within this
 * @param managementPort when set, /metrics and /health/* are served on this port too (0 = off)
 */
public record NodeConfig(
        String host,
        Integer port,
        Long maxBodyBytes,
        Integer eventLoops,
        @Nullable TlsConfig tls,
        Duration drainTimeout,
        Duration drainNotice,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        Integer managementPort,
        Boolean jsonLogs,
        Integer maxConnections) {

    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DRAIN_NOTICE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    // Not compact, so that a field left out (null) can be passed in for its default.
    public NodeConfig(
            @Nullable String host,
            @Nullable Integer port,
            @Nullable Long maxBodyBytes,
            @Nullable Integer eventLoops,
            @Nullable TlsConfig tls,
            @Nullable Duration drainTimeout,
            @Nullable Duration drainNotice,
            @Nullable Duration idleTimeout,
            @Nullable Duration headerTimeout,
            @Nullable Duration bodyTimeout,
            @Nullable Integer managementPort,
            @Nullable Boolean jsonLogs,
            @Nullable Integer maxConnections) {
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
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        Check.positive("maxConnections", maxConnections);
        this.host = host;
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
        this.eventLoops = eventLoops;
        this.tls = tls;
        this.drainTimeout = drainTimeout;
        this.drainNotice = drainNotice;
        this.idleTimeout = idleTimeout;
        this.headerTimeout = headerTimeout;
        this.bodyTimeout = bodyTimeout;
        this.managementPort = managementPort;
        this.jsonLogs = jsonLogs;
        this.maxConnections = maxConnections;
    }

    public static NodeConfig defaults() {
        return new NodeConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
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
                jsonLogs,
                maxConnections);
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
                jsonLogs,
                maxConnections);
    }

    /** TLS for the client-facing port, from PEM files. */
    public record TlsConfig(String certPath, String keyPath) {
        public TlsConfig {
            Check.required("certPath", certPath);
            Check.required("keyPath", keyPath);
        }
    }
}
