package dev.crossbar.cluster.hazelcast;

import dev.crossbar.cluster.Wildcards;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How this node's embedded Hazelcast member binds and finds its peers.
 *
 * @param clusterName       members with another name never join
 * @param host              the one interface to bind (and publish): never a wildcard address
 * @param port              the member port; with {@code portAutoIncrement}, the first one tried
 * @param portAutoIncrement take the next free port when {@code port} is busy (never with Kubernetes)
 * @param members           TCP-IP join list ("host:port"); empty with no Kubernetes service = alone
 * @param kubernetesServiceDns the headless service for Kubernetes DNS discovery, or null
 */
public record MemberSettings(
        String clusterName,
        String host,
        int port,
        boolean portAutoIncrement,
        List<String> members,
        @Nullable String kubernetesServiceDns) {

    public MemberSettings {
        members = members == null ? List.of() : List.copyOf(members);
        if (Wildcards.isWildcard(host)) {
            throw new IllegalArgumentException(
                    "host must be one interface's address, not the wildcard '" + host + "' (all interfaces)");
        }
    }

    boolean kubernetes() {
        return kubernetesServiceDns != null && !kubernetesServiceDns.isBlank();
    }

    /** True when the member looks for peers at all; a member that does not is a cluster of one. */
    public boolean joins() {
        return kubernetes() || !members.isEmpty();
    }
}
