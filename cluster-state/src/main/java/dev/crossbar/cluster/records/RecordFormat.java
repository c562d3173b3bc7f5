package dev.crossbar.cluster.records;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * How one kind of record is kept in cluster state: the map it lives in, its kind and format versions, and
 * whether its body is sealed (encrypted) or only signed. A layout change is a new version: a release reads
 * it before the next release writes it (see {@link dev.crossbar.cluster.ledger.KeyStateFormat}).
 */
public interface RecordFormat<R> {

    /** The map's name, e.g. {@code crossbar.keyconfig}. */
    String map();

    /** The envelope's kind byte ({@link dev.crossbar.cluster.seal.ValueKinds}). */
    int kind();

    /** True when the body holds a secret and is encrypted; false when it is signed only. */
    boolean sealed();

    /** The version this code writes. */
    int written();

    void write(DataOutput out, R record) throws IOException;

    /**
     * Reads a record written in format {@code version}.
     *
     * @throws IOException when the bytes are not a record of {@code version}, or the version is unknown
     */
    R read(DataInput in, int version) throws IOException;
}
