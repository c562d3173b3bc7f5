package dev.crossbar.cluster.responses;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExpiringMap} in one process, the twin of the Hazelcast map: entries expire on a clock, and
 * beyond {@code maxTotalBytes} the oldest go first, as the member's eviction does.
 */
public final class InMemoryExpiringMap implements ExpiringMap {

    private record Entry(Object value, long expiresAt, long bytes) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final LongSupplier clockMillis;
    private final long maxTotalBytes;
    private long totalBytes;

    public InMemoryExpiringMap(LongSupplier clockMillis, long maxTotalBytes) {
        this.clockMillis = clockMillis;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** Puts any value under the id, as a writer without the cluster key could. */
    public synchronized void plant(String id, Object value) {
        remove(id);
        entries.put(id, new Entry(value, Long.MAX_VALUE, 0));
    }

    @Override
    public synchronized @Nullable Object get(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            return null;
        }
        if (e.expiresAt <= clockMillis.getAsLong()) {
            remove(id);
            return null;
        }
        return e.value;
    }

    @Override
    public synchronized void set(String id, byte[] value, long ttlMillis) {
        remove(id);
        entries.put(id, new Entry(value, clockMillis.getAsLong() + ttlMillis, value.length));
        totalBytes += value.length;
        Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
        while (totalBytes > maxTotalBytes && oldest.hasNext()) {
            totalBytes -= oldest.next().getValue().bytes;
            oldest.remove();
        }
    }

    @Override
    public synchronized boolean remove(String id, byte[] expected) {
        Entry e = entries.get(id);
        if (e == null || e.value != expected) {
            return false;
        }
        remove(id);
        return true;
    }

    /** Bytes held now. */
    public synchronized long totalBytes() {
        return totalBytes;
    }

    private void remove(String id) {
        Entry e = entries.remove(id);
        if (e != null) {
            totalBytes -= e.bytes;
        }
    }
}
