package dev.crossbar.cluster.hazelcast;

import com.hazelcast.map.IMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Reads a map entry by entry, so one value that cannot be decoded does not hide the others. */
final class Entries {

    private Entries() {}

    /**
     * Calls {@code entry} for each entry; an entry Hazelcast cannot decode (an unknown type, a class the
     * serialization filter refuses) goes to {@code undecodable} instead, with the reason.
     */
    static void forEach(IMap<?, ?> map, BiConsumer<String, Object> entry, Consumer<RuntimeException> undecodable) {
        // The query result decodes each row as the iterator reaches it: a failure leaves the iterator past it.
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e;
            try {
                e = it.next();
            } catch (RuntimeException failed) {
                undecodable.accept(failed);
                continue;
            }
            if (e.getKey() instanceof String id) {
                entry.accept(id, e.getValue());
            } else {
                undecodable.accept(new ClassCastException("an id of type "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName())));
            }
        }
    }
}
