package dev.crossbar.cluster.records;

import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** A {@link RecordStore} over any {@link RawMap}: the rules are here, the transport is the map's. */
public final class SharedRecords<R> implements RecordStore<R> {

    private final RawMap map;
    private final RecordCodec<R> codec;
    private final Rejections rejections;
    private final Refresher refresher;

    public SharedRecords(RawMap map, RecordCodec<R> codec, Rejections rejections) {
        this.map = map;
        this.codec = codec;
        this.rejections = rejections;
        this.refresher = new Refresher(map.name());
    }

    @Override
    public void seed(String id, R record) {
        byte[] value = codec.encode(id, record);
        Object existing = map.get(id);
        if (existing == null) {
            map.putIfAbsent(id, value);
        } else if (open(id, existing) == null) {
            // A forged or foreign value must not keep a configured record out.
            map.set(id, value);
        }
    }

    @Override
    public CompletionStage<Void> put(String id, R record) {
        return map.setAsync(id, codec.encode(id, record));
    }

    @Override
    public @Nullable R get(String id) {
        Object raw = map.get(id);
        if (raw == null) {
            return null;
        }
        RecordCodec.Decoded<R> decoded = open(id, raw);
        return decoded == null ? null : decoded.record();
    }

    @Override
    public Map<String, R> all() {
        Map<String, R> records = new HashMap<>();
        map.forEach((id, raw) -> {
            RecordCodec.Decoded<R> decoded = open(id, raw);
            if (decoded != null) {
                records.put(id, decoded.record());
            }
        });
        return records;
    }

    @Override
    public int reseal() {
        Map<String, byte[]> stale = new HashMap<>();
        Map<String, R> records = new HashMap<>();
        map.forEach((id, raw) -> {
            RecordCodec.Decoded<R> decoded = open(id, raw);
            if (decoded != null && decoded.previousKey()) {
                stale.put(id, (byte[]) raw);
                records.put(id, decoded.record());
            }
        });
        int rewritten = 0;
        for (var e : stale.entrySet()) {
            // Only if nobody changed it meanwhile: a newer record is already under the current key.
            if (map.replace(
                    e.getKey(),
                    e.getValue(),
                    codec.encode(e.getKey(), Objects.requireNonNull(records.get(e.getKey()))))) {
                rewritten++;
            }
        }
        return rewritten;
    }

    @Override
    public void watch(Runnable onChange) {
        refresher.onChange(onChange);
        map.listen(refresher::changed);
    }

    /** The authentic record, or null (the value is logged and counted). */
    private RecordCodec.@Nullable Decoded<R> open(String id, Object raw) {
        try {
            if (raw == RawMap.UNDECODABLE) {
                throw new UnreadableValue(Reason.FOREIGN, RawMap.UNDECODABLE.toString());
            }
            return codec.decode(id, raw);
        } catch (UnreadableValue e) {
            rejections.refused(map.name(), id, e);
            return null;
        }
    }

    /** Two raw values are the same bytes (what a compare-and-set compares). */
    static boolean same(Object a, byte[] b) {
        return a instanceof byte[] bytes && Arrays.equals(bytes, b);
    }

    @Override
    public void close() {
        refresher.close();
        map.close();
    }
}
