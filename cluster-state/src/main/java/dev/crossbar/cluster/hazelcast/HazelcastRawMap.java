package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.crossbar.cluster.records.RawMap;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RawMap} on a Hazelcast IMap of byte arrays. A record stays while one member lives (the map keeps
 * one backup). Values Hazelcast cannot decode come back as {@link RawMap#UNDECODABLE}, never as an exception.
 */
final class HazelcastRawMap implements RawMap {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastRawMap.class);

    private final IMap<String, Object> map;
    private final Rejections rejections;
    private volatile @Nullable UUID listener;

    HazelcastRawMap(HazelcastInstance hazelcast, String name, Rejections rejections) {
        this.map = hazelcast.getMap(name);
        this.rejections = rejections;
    }

    @Override
    public String name() {
        return map.getName();
    }

    @Override
    public @Nullable Object get(String id) {
        try {
            return map.get(id);
        } catch (RuntimeException undecodable) {
            return UNDECODABLE;
        }
    }

    @Override
    public boolean putIfAbsent(String id, byte[] value) {
        try {
            return map.putIfAbsent(id, value) == null;
        } catch (RuntimeException undecodable) {
            // Another value arrived first and cannot be decoded: the next refresh sees it.
            return false;
        }
    }

    @Override
    public void set(String id, byte[] value) {
        map.set(id, value);
    }

    @Override
    public CompletionStage<Void> setAsync(String id, byte[] value) {
        return HazelcastFutures.completedOnPool(map.setAsync(id, value));
    }

    @Override
    public boolean replace(String id, byte[] expected, byte[] value) {
        return map.replace(id, expected, value);
    }

    @Override
    public void forEach(BiConsumer<String, Object> entry) {
        Entries.forEach(
                map,
                entry,
                undecodable -> rejections.refused(
                        name(), "?", new UnreadableValue(Reason.FOREIGN, "undecodable: " + undecodable.getMessage())));
    }

    @Override
    public void listen(Runnable changed) {
        listener = map.addEntryListener(new Listener(changed), false);
    }

    @Override
    public void close() {
        UUID id = listener;
        if (id == null) {
            return;
        }
        try {
            map.removeEntryListener(id);
        } catch (RuntimeException e) {
            LOG.debug("{} listener already gone: {}", name(), e.toString());
        }
    }

    private static final class Listener
            implements EntryAddedListener<Object, Object>,
                    EntryUpdatedListener<Object, Object>,
                    EntryRemovedListener<Object, Object> {
        private final Runnable changed;

        Listener(Runnable changed) {
            this.changed = changed;
        }

        @Override
        public void entryAdded(EntryEvent<Object, Object> event) {
            changed.run();
        }

        @Override
        public void entryUpdated(EntryEvent<Object, Object> event) {
            changed.run();
        }

        @Override
        public void entryRemoved(EntryEvent<Object, Object> event) {
            changed.run();
        }
    }
}
