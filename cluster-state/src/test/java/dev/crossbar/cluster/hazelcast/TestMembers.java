package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Real Hazelcast members on 127.0.0.1, TCP-IP join, a cluster name of their own. */
public final class TestMembers implements AutoCloseable {

    private final String clusterName = "crossbar-test-" + UUID.randomUUID();
    private final int basePort = 15_000 + ThreadLocalRandom.current().nextInt(20_000);
    private final List<HazelcastInstance> members = new ArrayList<>();

    public HazelcastInstance start() {
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            peers.add("127.0.0.1:" + (basePort + i));
        }
        MemberSettings settings = new MemberSettings(clusterName, "127.0.0.1", basePort, true, peers, null);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(MemberConfigs.build(settings));
        members.add(member);
        return member;
    }

    public List<HazelcastInstance> members() {
        return members;
    }

    @Override
    public void close() {
        for (HazelcastInstance member : members) {
            try {
                member.getLifecycleService().terminate();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }
}
