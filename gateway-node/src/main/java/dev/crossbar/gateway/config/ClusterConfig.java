package dev.crossbar.gateway.config;

import dev.crossbar.cluster.Wildcards;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The embedded Hazelcast member, the cluster key and the shared key pool's timing.
 *
 * @param host    the one interface Hazelcast binds to; never a wildcard address
 * @param members "host:port" of peers for TCP-IP join; empty (and no Kubernetes service) = a cluster of one
 * @param kubernetesServiceDns the headless service name for Kubernetes DNS discovery
 * @param lease   how long a node spends a leased slice before it reports back
 * @param key     the cluster key (32 random bytes, base64): seals and signs everything in cluster state and
 *                proves this node to the others; never enters the cluster. Required when the node joins
 *                others; a node alone without one uses a random key of its own
 * @param previousKeys keys also accepted when reading, never used to write (a rotation, docs/security.md)
 * @param portAutoIncrement take the next free member port when {@code port} is busy (off unless asked for)
 * @param unprovenMembers  what a node does while a member without proof of the cluster key is in the
 *                         cluster: {@code refuse} (readiness fails) or {@code warn} (log and count only)
 */
public record ClusterConfig(
        String name,
        String host,
        Integer port,
        List<String> members,
        @Nullable String kubernetesServiceDns,
        Duration lease,
        Duration reclaimGrace,
        @Nullable String key,
        List<String> previousKeys,
        Boolean portAutoIncrement,
        String unprovenMembers) {

    public static final int DEFAULT_PORT = 5701;
    public static final String REFUSE = "refuse";
    public static final String WARN = "warn";

    // Not compact, so that a field left out (null) can be passed in for its default.
    public ClusterConfig(
            @Nullable String name,
            @Nullable String host,
            @Nullable Integer port,
            @Nullable List<String> members,
            @Nullable String kubernetesServiceDns,
            @Nullable Duration lease,
            @Nullable Duration reclaimGrace,
            @Nullable String key,
            @Nullable List<String> previousKeys,
            @Nullable Boolean portAutoIncrement,
            @Nullable String unprovenMembers) {
        name = name == null ? "crossbar" : name;
        host = host == null ? "127.0.0.1" : host;
        if (Wildcards.isWildcard(host)) {
            throw new IllegalArgumentException("host must be the address of one interface (the one peers reach this"
                    + " node on), never '" + host + "' (all interfaces): the member port must not face every network");
        }
        port = port == null ? DEFAULT_PORT : port;
        Check.port("port", port);
        members = members == null ? List.of() : List.copyOf(members);
        lease = lease == null ? Duration.ofMillis(250) : lease;
        Check.positive("lease", lease.toMillis());
        reclaimGrace = reclaimGrace == null ? Duration.ofSeconds(2) : reclaimGrace;
        Check.positive("reclaimGrace", reclaimGrace.toMillis());
        key = key == null || key.isBlank() ? null : key;
        if (key != null) {
            try {
                ClusterKey.parse(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key " + e.getMessage());
            }
        }
        previousKeys = previousKeys == null ? List.of() : List.copyOf(previousKeys);
        for (int i = 0; i < previousKeys.size(); i++) {
            try {
                ClusterKey.parse(previousKeys.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("previousKeys[" + i + "] " + e.getMessage());
            }
        }
        portAutoIncrement = portAutoIncrement != null && portAutoIncrement;
        unprovenMembers = unprovenMembers == null ? REFUSE : unprovenMembers;
        if (!unprovenMembers.equals(REFUSE) && !unprovenMembers.equals(WARN)) {
            throw new IllegalArgumentException("unprovenMembers must be refuse or warn, was '" + unprovenMembers + "'");
        }
        boolean joins = !members.isEmpty() || (kubernetesServiceDns != null && !kubernetesServiceDns.isBlank());
        if (joins && key == null) {
            throw new IllegalArgumentException("key is required when the node joins others (members or"
                    + " kubernetesServiceDns): every node of the cluster reads the same 32 random bytes, e.g."
                    + " key: ${CROSSBAR_CLUSTER_KEY} with CROSSBAR_CLUSTER_KEY=$(openssl rand -base64 32)");
        }
        if (key == null && !previousKeys.isEmpty()) {
            throw new IllegalArgumentException("previousKeys needs a key to write with");
        }
        this.name = name;
        this.host = host;
        this.port = port;
        this.members = members;
        this.kubernetesServiceDns = kubernetesServiceDns;
        this.lease = lease;
        this.reclaimGrace = reclaimGrace;
        this.key = key;
        this.previousKeys = previousKeys;
        this.portAutoIncrement = portAutoIncrement;
        this.unprovenMembers = unprovenMembers;
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The keys this node seals, signs and proves itself with: the configured ones, or a random one alone. */
    public ClusterKeyring keyring() {
        if (key == null) {
            return ClusterKeyring.random();
        }
        List<ClusterKey> previous = new ArrayList<>();
        previousKeys.forEach(k -> previous.add(ClusterKey.parse(k)));
        return ClusterKeyring.of(ClusterKey.parse(key), previous);
    }

    /** True when a member without proof of the cluster key takes this node out of service. */
    public boolean refusesUnprovenMembers() {
        return unprovenMembers.equals(REFUSE);
    }

    public ClusterConfig withKey(String newKey) {
        return new ClusterConfig(
                name,
                host,
                port,
                members,
                kubernetesServiceDns,
                lease,
                reclaimGrace,
                newKey,
                previousKeys,
                portAutoIncrement,
                unprovenMembers);
    }

    /** A member of {@code clusterName} on {@code host:memberPort} that joins {@code peers}, other fields kept. */
    public ClusterConfig withMember(String clusterName, String memberHost, int memberPort, List<String> peers) {
        return new ClusterConfig(
                clusterName,
                memberHost,
                memberPort,
                peers,
                null,
                lease,
                reclaimGrace,
                key,
                previousKeys,
                portAutoIncrement,
                unprovenMembers);
    }

    /** Never the keys. */
    @Override
    public String toString() {
        return "ClusterConfig[name=" + name + ", host=" + host + ", port=" + port + ", members=" + members
                + ", kubernetesServiceDns=" + kubernetesServiceDns + ", lease=" + lease + ", reclaimGrace="
                + reclaimGrace + ", key=" + (key == null ? "none" : "(set)") + ", previousKeys="
                + previousKeys.size() + ", portAutoIncrement=" + portAutoIncrement + ", unprovenMembers="
                + unprovenMembers + "]";
    }
}
