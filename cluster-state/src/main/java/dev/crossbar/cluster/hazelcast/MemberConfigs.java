package dev.crossbar.cluster.hazelcast;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import dev.crossbar.cluster.responses.ResponseStoreSettings;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * Builds the embedded member's config: Vert.x's own cluster structures (from its default XML), the
 * ledger's map and serializers, one member endpoint bound to one interface and no client endpoint (open-
 * source Hazelcast has no client authentication), a join that never uses multicast and, without members or
 * Kubernetes, no join at all, a Java serialization filter, and the member's proof of the cluster key.
 */
public final class MemberConfigs {

    /** How often separated sides of a cluster look for each other to merge. */
    public static final int MERGE_DELAY_SECONDS = 30;

    private MemberConfigs() {}

    public static Config build(MemberSettings settings, ClusterKeyring keys, Rejections rejections) {
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
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", settings.host());
        network(config, settings);
        serializationFilter(config);
        boolean slides = settings.portAutoIncrement() && !settings.kubernetes();
        MemberProof.attributes(keys, settings.clusterName(), settings.host(), slides ? 0 : settings.port())
                .forEach(config.getMemberAttributeConfig()::setAttribute);
        config.getUserContext().put(MemberContext.KEY, new MemberContext(keys, rejections));
        HazelcastExpiringMap.configure(config, ResponseStoreSettings.DEFAULTS);
        HazelcastBudgetLedger.configure(config);
        return HazelcastLedger.configure(config);
    }

    /**
     * The advanced network config with a member endpoint only: no socket speaks Hazelcast's client protocol,
     * so a Hazelcast client (which needs no credentials in open source) has nowhere to connect.
     */
    private static void network(Config config, MemberSettings settings) {
        NetworkConfig unused = new NetworkConfig();
        unused.getJoin().getMulticastConfig().setEnabled(false);
        unused.getRestApiConfig().setEnabled(false);
        config.setNetworkConfig(unused);
        AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
        ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
        // DNS discovery looks for peers on one port only: a member that moved to the next free port would
        // never be found, so in Kubernetes the port is fixed.
        member.setPort(settings.port()).setPortAutoIncrement(settings.portAutoIncrement() && !settings.kubernetes());
        member.setPublicAddress(null);
        member.getInterfaces().setEnabled(true).clear().addInterface(settings.host());
        network.setMemberEndpointConfig(member);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(false).getMembers().clear();
        String serviceDns = settings.kubernetesServiceDns();
        if (settings.kubernetes() && serviceDns != null) {
            // DNS lookup mode: the headless service's A records are the pods; Hazelcast 5.3 probes each on
            // service-port, which defaults to 5701 whatever this member's port is, so it is set here.
            join.getKubernetesConfig()
                    .setEnabled(true)
                    .setProperty("service-dns", serviceDns.strip())
                    .setProperty("service-port", Integer.toString(settings.port()));
        } else if (!settings.members().isEmpty()) {
            join.getTcpIpConfig().setEnabled(true);
            settings.members().forEach(join.getTcpIpConfig()::addMember);
        }
        // No members and no Kubernetes: no join method at all, so the member forms a cluster of one and never
        // looks for another install on the same host.
    }

    /**
     * Crossbar's shared state is byte arrays and its messages have serializers of their own: nothing of
     * Crossbar's travels by Java serialization. What Hazelcast itself still sends that way (exceptions in
     * answers) comes from the JDK's core packages or Hazelcast; anything else is refused before a class is
     * loaded, and Hazelcast's list of known gadget classes stays on.
     */
    private static void serializationFilter(Config config) {
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(false);
        filter.getWhitelist().addPrefixes("java.lang.", "java.util.", "java.time.", "java.math.", "com.hazelcast.");
        config.getSerializationConfig().setJavaSerializationFilterConfig(filter);
    }
}
