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
import dev.crossbar.cluster.ledger.KeyStateCodec;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger on a Hazelcast IMap: each key's state lives on its partition owner with one synchronous
 * backup, as a signed byte array ({@link KeyStateCodec}); every change is an entry processor (one round trip,
 * atomic) that the owner signs; an entry listener keeps this member's snapshot current with the states it
 * can authenticate, so reads never leave the node and a forged value never reaches them. When a member
 * leaves, the oldest survivor reclaims its leases.
 */
public final class HazelcastLedger implements Ledger {

    public static final String KEYS_MAP = KeyStateCodec.MAP;
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastLedger.class);

    private final HazelcastInstance hazelcast;
    private final IMap<String, Object> map;
    private final MemberContext context;
    private final LedgerSettings settings;
    private final Map<String, KeyState> snapshot = new ConcurrentHashMap<>();
    private final Set<String> onPreviousKey = ConcurrentHashMap.newKeySet();
    private final CopyOnWriteArrayList<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final UUID entryListener;
    private final UUID membershipListener;
    private final LongAdder roundTrips = new LongAdder();

    /** Adds the ledger's map settings and serializers to a member config, before the member starts. */
    static Config configure(Config config) {
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
    HazelcastLedger(HazelcastInstance hazelcast, LedgerSettings settings) {
        this.hazelcast = hazelcast;
        this.settings = settings;
        this.context = MemberContext.of(hazelcast);
        this.map = hazelcast.getMap(KEYS_MAP);
        context.ledgerSnapshot(snapshot);
        this.entryListener = map.addEntryListener(new SnapshotUpdater(), true);
        Entries.forEach(
                map,
                (keyId, raw) -> {
                    if (!snapshot.containsKey(keyId)) {
                        accept(keyId, () -> raw, false);
                    }
                },
                undecodable -> refused("?", undecodable));
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
    @Override
    public long roundTrips() {
        return roundTrips.sum();
    }

    /**
     * Writes back, signed with the current cluster key, every state last seen signed with a previous one.
     * Returns how many it asked for.
     */
    int reseal() {
        Set<String> stale = new HashSet<>(onPreviousKey);
        if (stale.isEmpty()) {
            return 0;
        }
        CompletableFuture<?>[] writes = stale.stream()
                .map(keyId -> execute(keyId, new KeyCommand.Rewrite()).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(writes).join();
        return stale.size();
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

    /** Takes an authentic state into the snapshot; anything else is counted and the last authentic one kept. */
    private void accept(String keyId, Supplier<Object> value, boolean notify) {
        Object raw;
        try {
            raw = value.get();
        } catch (RuntimeException undecodable) {
            refused(keyId, undecodable);
            return;
        }
        KeyStateCodec.Decoded decoded;
        try {
            decoded = context.states.open(keyId, raw);
        } catch (UnreadableValue e) {
            context.rejections.refused(KEYS_MAP, keyId, e);
            return;
        }
        snapshot.put(keyId, decoded.state());
        if (decoded.previousKey()) {
            onPreviousKey.add(keyId);
        } else {
            onPreviousKey.remove(keyId);
        }
        if (notify) {
            changed(keyId);
        }
    }

    private void refused(String keyId, RuntimeException undecodable) {
        context.rejections.refused(
                KEYS_MAP, keyId, new UnreadableValue(Reason.FOREIGN, "undecodable: " + undecodable.getMessage()));
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
            implements EntryAddedListener<String, Object>,
                    EntryUpdatedListener<String, Object>,
                    EntryRemovedListener<String, Object>,
                    EntryEvictedListener<String, Object> {

        @Override
        public void entryAdded(EntryEvent<String, Object> event) {
            accept(event.getKey(), event::getValue, true);
        }

        @Override
        public void entryUpdated(EntryEvent<String, Object> event) {
            accept(event.getKey(), event::getValue, true);
        }

        @Override
        public void entryRemoved(EntryEvent<String, Object> event) {
            snapshot.remove(event.getKey());
            onPreviousKey.remove(event.getKey());
            changed(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, Object> event) {
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
