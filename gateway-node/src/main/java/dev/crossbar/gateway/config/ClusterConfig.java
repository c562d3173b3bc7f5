package dev.crossbar.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * The embedded Hazelcast member and the shared key pool's timing.
 *
 * @param host    the interface Hazelcast binds to; never all interfaces
 * @param members "host:port" of peers for TCP-IP join; empty (and no Kubernetes service) = a cluster of one
 * @param kubernetesServiceDns the headless service name for Kubernetes DNS discovery
 * @param lease   how long a node spends a leased slice before it reports back
 */
public record ClusterConfig(
        String name,
        String host,
        Integer port,
        List<String> members,
        String kubernetesServiceDns,
        Duration lease,
        Duration reclaimGrace) {

    public static final int DEFAULT_PORT = 5701;

    public ClusterConfig {
        name = name == null ? "crossbar" : name;
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? DEFAULT_PORT : port;
        Check.port("port", port);
        members = members == null ? List.of() : List.copyOf(members);
        lease = lease == null ? Duration.ofMillis(250) : lease;
        Check.positive("lease", lease.toMillis());
        reclaimGrace = reclaimGrace == null ? Duration.ofSeconds(2) : reclaimGrace;
        Check.positive("reclaimGrace", reclaimGrace.toMillis());
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(null, null, null, null, null, null, null);
    }
}
