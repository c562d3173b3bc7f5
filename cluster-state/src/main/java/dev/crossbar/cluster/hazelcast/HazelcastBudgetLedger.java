package dev.crossbar.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.spend.BudgetLedger;
import dev.crossbar.cluster.spend.SpendAnswer;
import dev.crossbar.cluster.spend.SpendCommand;
import dev.crossbar.cluster.spend.SpendState;
import dev.crossbar.cluster.spend.SpendStateCodec;
import java.util.HashSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget ledger on a Hazelcast IMap ({@code crossbar.spend}): each subject's spend on its partition owner with
 * one synchronous backup, signed; every change an entry processor (one round trip, atomic); an entry listener
 * keeps this member's view of the authentic states. When a member leaves, the oldest survivor drops the
 * reservations it held.
 */
public final class HazelcastBudgetLedger implements BudgetLedger {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastBudgetLedger.class);

    private final HazelcastInstance hazelcast;
    private final IMap<String, Object> map;
    private final MemberContext context;
    private final Map<String, SpendState> snapshot = new ConcurrentHashMap<>();
    private final UUID entryListener;
    private final UUID membershipListener;

    static void configure(Config config) {
        MapConfig spend = new MapConfig(SpendStateCodec.MAP)
                .setBackupCount(1)
                .setAsyncBackupCount(0)
                .setInMemoryFormat(InMemoryFormat.BINARY);
        spend.getMergePolicyConfig().setPolicy(SpendMergePolicy.class.getName());
        config.addMapConfig(spend);
    }

    /** Blocks while it loads the current states: call it off any event loop. */
    HazelcastBudgetLedger(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.context = MemberContext.of(hazelcast);
        this.map = hazelcast.getMap(SpendStateCodec.MAP);
        context.spendSnapshot(snapshot);
        this.entryListener = map.addEntryListener(new SnapshotUpdater(), true);
        Entries.forEach(
                map,
                (subject, raw) -> {
                    if (!snapshot.containsKey(subject)) {
                        accept(subject, () -> raw);
                    }
                },
                undecodable -> context.rejections.refused(
                        SpendStateCodec.MAP,
                        "?",
                        new UnreadableValue(
                                UnreadableValue.Reason.FOREIGN, "undecodable: " + undecodable.getMessage())));
        this.membershipListener = hazelcast.getCluster().addMembershipListener(new Reclaimer());
    }

    @Override
    public CompletionStage<SpendAnswer> execute(String subject, SpendCommand command) {
        return HazelcastFutures.completedOnPool(map.submitToKey(subject, new BudgetEntryProcessor(command)))
                .thenApply(answer -> answer instanceof BudgetEntryProcessor.Answer a ? a.answer : null);
    }

    @Override
    public Map<String, SpendState> snapshot() {
        return snapshot;
    }

    @Override
    public String nodeId() {
        return hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    @Override
    public long now() {
        return System.currentTimeMillis();
    }

    @Override
    public void close() {
        try {
            map.removeEntryListener(entryListener);
            hazelcast.getCluster().removeMembershipListener(membershipListener);
        } catch (RuntimeException e) {
            LOG.debug("budget ledger listeners already gone with the member: {}", e.toString());
        }
    }

    private void accept(String subject, Supplier<Object> value) {
        try {
            snapshot.put(subject, context.spends.decode(subject, value.get()));
        } catch (UnreadableValue e) {
            context.rejections.refused(SpendStateCodec.MAP, subject, e);
        } catch (RuntimeException undecodable) {
            context.rejections.refused(
                    SpendStateCodec.MAP,
                    subject,
                    new UnreadableValue(UnreadableValue.Reason.FOREIGN, "undecodable: " + undecodable.getMessage()));
        }
    }

    /**
     * Keeps the view current. A removal is ignored: Crossbar never removes a spend, so one removed was removed by
     * someone without the cluster key, and the last authentic state stays (the entry processors start from it).
     */
    private final class SnapshotUpdater
            implements EntryAddedListener<String, Object>, EntryUpdatedListener<String, Object> {

        @Override
        public void entryAdded(EntryEvent<String, Object> event) {
            accept(event.getKey(), event::getValue);
        }

        @Override
        public void entryUpdated(EntryEvent<String, Object> event) {
            accept(event.getKey(), event::getValue);
        }
    }

    private final class Reclaimer implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent event) {}

        @Override
        public void memberRemoved(MembershipEvent event) {
            Member oldest = hazelcast.getCluster().getMembers().iterator().next();
            if (!oldest.localMember()) {
                return;
            }
            String gone = event.getMember().getUuid().toString();
            HazelcastFutures.completedOnPool(map.submitToKeys(
                            new HashSet<>(snapshot.keySet()),
                            new BudgetEntryProcessor(new SpendCommand.ReclaimNode(gone))))
                    .whenComplete((ok, err) -> {
                        if (err != null) {
                            LOG.warn("could not drop the budget reservations of member {}: {}", gone, err.toString());
                        }
                    });
        }
    }
}
