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
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.ledger.LedgerSettings;
import java.util.HashSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger on a Hazelcast IMap: each key's state lives on its partition owner with one synchronous
 * backup, every change is an entry processor (one round trip, atomic), and an entry listener keeps this
 * member's snapshot current so reads never leave the node. When a member leaves, the oldest survivor
 * reclaims its leases.
 */
public final class HazelcastLedger implements Ledger {

    public static final String KEYS_MAP = "crossbar.keys";
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastLedger.class);

    private final HazelcastInstance hazelcast;
    private final IMap<String, KeyState> map;
    private final LedgerSettings settings;
    private final Map<String, KeyState> snapshot = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final UUID entryListener;
    private final UUID membershipListener;
    private final LongAdder roundTrips = new LongAdder();

    /** Adds the ledger's map settings and serializers to a member config, before the member starts. */
    public static Config configure(Config config) {
        LedgerSerialization.register(config);
        MapConfig keys = new MapConfig(KEYS_MAP)
                .setBackupCount(1)
                .setAsyncBackupCount(0)
                .setInMemoryFormat(InMemoryFormat.BINARY);
        keys.getMergePolicyConfig().setPolicy(ConservativeMergePolicy.class.getName());
        config.addMapConfig(keys);
        return config;
    }

    /** Blocks while it loads the current state: call it off any event loop. */
    public HazelcastLedger(HazelcastInstance hazelcast, LedgerSettings settings) {
        this.hazelcast = hazelcast;
        this.settings = settings;
        this.map = hazelcast.getMap(KEYS_MAP);
        this.entryListener = map.addEntryListener(new SnapshotUpdater(), true);
        map.forEach((key, state) -> snapshot.putIfAbsent(key, state));
        this.membershipListener = hazelcast.getCluster().addMembershipListener(new Reclaimer());
    }

    /** This member's id, used as the node id in leases. */
    public String memberId() {
        return hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    @Override
    public CompletionStage<Object> execute(String keyId, KeyCommand command) {
        roundTrips.increment();
        return HazelcastFutures.completedOnPool(map.submitToKey(keyId, new LedgerEntryProcessor(command, settings)));
    }

    /** Applies the command to every key this member knows of (its snapshot), in one asynchronous call. */
    @Override
    public CompletionStage<Void> executeOnAll(KeyCommand command) {
        roundTrips.increment();
        return HazelcastFutures.completedOnPool(
                        map.submitToKeys(new HashSet<>(snapshot.keySet()), new LedgerEntryProcessor(command, settings)))
                .thenApply(results -> null);
    }

    /** Entry-processor calls this member has made (execute and executeOnAll): its cluster round trips. */
    public long roundTrips() {
        return roundTrips.sum();
    }

    @Override
    public Map<String, KeyState> snapshot() {
        return snapshot;
    }

    @Override
    public void onChange(Consumer<String> keyIdListener) {
        listeners.add(keyIdListener);
    }

    @Override
    public long now() {
        return System.currentTimeMillis();
    }

    @Override
    public LedgerSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            map.removeEntryListener(entryListener);
            hazelcast.getCluster().removeMembershipListener(membershipListener);
        } catch (RuntimeException e) {
            LOG.debug("ledger listeners already gone with the member: {}", e.toString());
        }
        listeners.clear();
    }

    private void changed(String keyId) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(keyId);
            } catch (RuntimeException e) {
                LOG.warn("key state listener failed", e);
            }
        }
    }

    private final class SnapshotUpdater
            implements EntryAddedListener<String, KeyState>,
                    EntryUpdatedListener<String, KeyState>,
                    EntryRemovedListener<String, KeyState>,
                    EntryEvictedListener<String, KeyState> {

        @Override
        public void entryAdded(EntryEvent<String, KeyState> event) {
            snapshot.put(event.getKey(), event.getValue());
            changed(event.getKey());
        }

        @Override
        public void entryUpdated(EntryEvent<String, KeyState> event) {
            snapshot.put(event.getKey(), event.getValue());
            changed(event.getKey());
        }

        @Override
        public void entryRemoved(EntryEvent<String, KeyState> event) {
            snapshot.remove(event.getKey());
            changed(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, KeyState> event) {
            entryRemoved(event);
        }
    }

    private final class Reclaimer implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent event) {
            // A new member reads the map itself; nothing to hand over.
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            Member oldest = hazelcast.getCluster().getMembers().iterator().next();
            if (!oldest.localMember()) {
                return;
            }
            String gone = event.getMember().getUuid().toString();
            LOG.info("member {} left; reclaiming its leases", gone);
            executeOnAll(new KeyCommand.ReclaimNode(gone)).whenComplete((ok, err) -> {
                if (err != null) {
                    LOG.warn("could not reclaim the leases of member {}: {}", gone, err.toString());
                }
            });
        }
    }
}
