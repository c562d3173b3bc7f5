package dev.crossbar.cluster.records;

import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

class InMemoryRecordStoreTest extends RecordStoreContract {

    private final Map<String, InMemoryRecords> maps = new ConcurrentHashMap<>();

    private InMemoryRecords map(String name) {
        return maps.computeIfAbsent(name, InMemoryRecords::new);
    }

    @Override
    protected <R> RecordStore<R> store(RecordFormat<R> format, ClusterKeyring keys, Rejections rejections) {
        return new SharedRecords<>(map(format.map()), new RecordCodec<>(format, keys), rejections);
    }

    @Override
    protected void plant(String map, String id, Object value) {
        map(map).plant(id, value);
    }

    @Override
    protected Object raw(String map, String id) {
        return map(map).get(id);
    }
}
