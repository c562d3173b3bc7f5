package dev.crossbar.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.crossbar.cluster.responses.ExpiringMap;
import dev.crossbar.cluster.responses.ResponseStoreSettings;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExpiringMap} on a Hazelcast IMap of byte arrays, one backup. Entries carry their own time to
 * live; beyond the configured megabytes of heap per member the least recently used go first.
 */
final class HazelcastExpiringMap implements ExpiringMap {

    static final String MAP = "crossbar.responses";

    private final IMap<String, Object> map;

    HazelcastExpiringMap(HazelcastInstance hazelcast) {
        this.map = hazelcast.getMap(MAP);
    }

    /** Adds the map's bounds to a member config, before the member starts. */
    static Config configure(Config config, ResponseStoreSettings settings) {
        MapConfig responses =
                new MapConfig(MAP).setBackupCount(1).setAsyncBackupCount(0).setInMemoryFormat(InMemoryFormat.BINARY);
        responses
                .getEvictionConfig()
                .setEvictionPolicy(EvictionPolicy.LRU)
                .setMaxSizePolicy(MaxSizePolicy.USED_HEAP_SIZE)
                .setSize((int) Math.max(1, settings.maxTotalBytes() >> 20));
        config.addMapConfig(responses);
        return config;
    }

    @Override
    public @Nullable Object get(String id) {
        try {
            return map.get(id);
        } catch (RuntimeException undecodable) {
            return null;
        }
    }

    @Override
    public void set(String id, byte[] value, long ttlMillis) {
        map.set(id, value, ttlMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean remove(String id, byte[] expected) {
        return map.remove(id, expected);
    }
}
