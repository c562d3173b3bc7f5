package dev.crossbar.cluster.records;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The transport under a {@link RecordStore}: a map of ids to whatever values it holds, which may be
 * anything a member put there. Implementations never throw for a value they cannot decode: they hand over
 * {@link #UNDECODABLE} instead, so one foreign value cannot hide the others.
 */
public interface RawMap extends AutoCloseable {

    /** Stands for a value the transport itself could not decode (an unknown type, a refused class). */
    Object UNDECODABLE = new Object() {
        @Override
        public String toString() {
            return "a value of a type this node cannot decode";
        }
    };

    String name();

    /** The value under {@code id}: null when absent. */
    @Nullable
    Object get(String id);

    /** Stores {@code value} unless the id is taken; true when it stored it. */
    boolean putIfAbsent(String id, byte[] value);

    /** Stores {@code value} whatever was there. */
    void set(String id, byte[] value);

    CompletionStage<Void> setAsync(String id, byte[] value);

    /** Replaces {@code expected} (the bytes last read) with {@code value}; false when it changed meanwhile. */
    boolean replace(String id, byte[] expected, byte[] value);

    /** Every entry whose id can be read, with its value (or {@link #UNDECODABLE}). */
    void forEach(BiConsumer<String, Object> entry);

    /** Calls {@code changed} after any entry is added, changed or removed, by any node. */
    void listen(Runnable changed);

    @Override
    void close();
}
