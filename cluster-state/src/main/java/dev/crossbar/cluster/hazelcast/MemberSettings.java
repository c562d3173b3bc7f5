package dev.crossbar.cluster.hazelcast;

import java.util.List;

/**
 * How this node's embedded Hazelcast member binds and finds its peers.
 *
 * @param clusterName    members with another name never join
 * @param host           the interface to bind (and publish) — never all interfaces
 * @param port           the member port; with {@code portAutoIncrement}, the first one tried
 * @param members        TCP-IP join list ("host:port"); empty with no Kubernetes service = alone
 * @param kubernetesServiceDns the headless service for Kubernetes DNS discovery, or null
 */
public record MemberSettings(
        String clusterName,
        String host,
        int port,
        boolean portAutoIncrement,
        List<String> members,
        String kubernetesServiceDns) {

    public MemberSettings {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
