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
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(settings.portAutoIncrement());
        network.setPublicAddress(null);
        network.getInterfaces().setEnabled(true).clear().addInterface(settings.host());
        network.getRestApiConfig().setEnabled(false);
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", settings.host());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (settings.kubernetesServiceDns() != null) {
            join.getTcpIpConfig().setEnabled(false);
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", settings.kubernetesServiceDns());
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
