package dev.crossbar.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * Builds the embedded member's config: Vert.x's own cluster structures (from its default XML), the
 * ledger's map and serializers, and a join that never uses multicast.
 */
public final class MemberConfigs {

    /** How often separated sides of a cluster look for each other to merge. */
    public static final int MERGE_DELAY_SECONDS = 30;

    private MemberConfigs() {}

    public static Config build(MemberSettings settings) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(settings.clusterName());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // A dead member is noticed in seconds, not the default minute.
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        // Two sides of a split (or two clusters that formed side by side as pods started) each grant a key's
        // whole limit until they merge: look for the other side every 30 s, not after 300 s then every 120 s.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_DELAY_SECONDS));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_DELAY_SECONDS));
        boolean kubernetes = settings.kubernetesServiceDns() != null
                && !settings.kubernetesServiceDns().isBlank();
        NetworkConfig network = config.getNetworkConfig();
        // DNS discovery looks for peers on one port only: a member that moved to the next free port would
        // never be found, so in Kubernetes the port is fixed.
        network.setPort(settings.port()).setPortAutoIncrement(settings.portAutoIncrement() && !kubernetes);
        network.setPublicAddress(null);
        network.getInterfaces().setEnabled(true).clear().addInterface(settings.host());
        network.getRestApiConfig().setEnabled(false);
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", settings.host());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (kubernetes) {
            // DNS lookup mode: the headless service's A records are the pods; Hazelcast 5.3 probes each on
            // service-port, which defaults to 5701 whatever this member's port is, so it is set here.
            join.getTcpIpConfig().setEnabled(false);
            join.getKubernetesConfig()
                    .setEnabled(true)
                    .setProperty("service-dns", settings.kubernetesServiceDns().strip())
                    .setProperty("service-port", Integer.toString(settings.port()));
        } else {
            join.getTcpIpConfig().setEnabled(true).getMembers().clear();
            if (settings.members().isEmpty()) {
                join.getTcpIpConfig().addMember(settings.host());
            } else {
                settings.members().forEach(join.getTcpIpConfig()::addMember);
            }
        }
        return HazelcastLedger.configure(config);
    }
}
