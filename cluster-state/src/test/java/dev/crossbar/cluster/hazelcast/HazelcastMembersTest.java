package dev.crossbar.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.members.Members;
import dev.crossbar.cluster.members.MembersContract;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The members contract on real members: a Crossbar member with the cluster key is proven; a plain Hazelcast
 * member with the cluster's name and member list (what an attacker who reaches the port has) is not, and
 * neither is a Crossbar member configured with another cluster key.
 */
class HazelcastMembersTest extends MembersContract {

    private TestMembers cluster;
    private HazelcastMembers members;
    private final Map<String, HazelcastInstance> started = new HashMap<>();

    @BeforeEach
    void start() {
        cluster = new TestMembers();
        members = new HazelcastMembers(cluster.start(), cluster.keys());
    }

    @AfterEach
    void stop() {
        members.close();
        cluster.close();
    }

    @Override
    protected Members members() {
        return members;
    }

    private String joined(HazelcastInstance member) throws InterruptedException {
        String id = member.getCluster().getLocalMember().getUuid().toString();
        started.put(id, member);
        await(() -> members.list().stream().anyMatch(m -> m.id().equals(id)), "member " + id + " seen");
        return id;
    }

    @Override
    protected String joinProven() throws Exception {
        return joined(cluster.start());
    }

    @Override
    protected String joinUnproven() throws Exception {
        return joined(cluster.startRogue(new Config()));
    }

    @Override
    protected void leave(String memberId) {
        started.get(memberId).getLifecycleService().terminate();
    }

    @Test
    void shouldNotTakeAMemberWithAnotherClusterKeyForOne() throws Exception {
        HazelcastInstance other = cluster.start(ClusterKeyring.of(ClusterKey.random(), List.of()), new Rejections());
        String id = joined(other);
        await(() -> members.unproven().stream().anyMatch(m -> m.id().equals(id)), "the other key is unproven");
    }

    /**
     * An attacker on the same host copies a proven member's attributes (its nonce and proof) into a member of
     * its own: the proof names the member's port, so on the attacker's port it proves nothing.
     */
    @Test
    void shouldNotTakeAProofCopiedFromAnotherMember() throws Exception {
        HazelcastInstance victim = cluster.startFixed(cluster.basePort() + 4);
        String victimId = joined(victim);
        await(() -> members.list().stream().anyMatch(m -> m.id().equals(victimId) && m.proven()), "the victim proven");
        Config copier = new Config();
        victim.getCluster().getLocalMember().getAttributes().forEach(copier.getMemberAttributeConfig()::setAttribute);
        HazelcastInstance rogue = cluster.startRogue(copier);
        String id = joined(rogue);
        await(() -> members.unproven().stream().anyMatch(m -> m.id().equals(id)), "the copied proof is refused");
    }

    /**
     * A rotation in three rolling restarts: every node accepts the next key, then writes with it, then drops
     * the old one. In the second step nodes of either key prove themselves to each other.
     */
    @Test
    void shouldTakeMembersOfEitherKeyDuringARotation() throws Exception {
        ClusterKey old = cluster.keys().current();
        ClusterKey next = ClusterKey.random();
        HazelcastMembers oldView =
                new HazelcastMembers(cluster.members().get(0), ClusterKeyring.of(old, List.of(next)));
        ClusterKeyring nextKeys = ClusterKeyring.of(next, List.of(old));
        HazelcastInstance switched = cluster.start(nextKeys, new Rejections());
        HazelcastMembers nextView = new HazelcastMembers(switched, nextKeys);
        try {
            String id = joined(switched);
            await(() -> oldView.list().size() == 2 && nextView.list().size() == 2, "both see both");
            await(() -> oldView.unproven().isEmpty(), "a node of the old key takes one of the next");
            await(() -> nextView.unproven().isEmpty(), "and the other way round");
            await(() -> members.unproven().stream().anyMatch(m -> m.id().equals(id)), "not one without the next key");
        } finally {
            oldView.close();
            nextView.close();
        }
    }
}
