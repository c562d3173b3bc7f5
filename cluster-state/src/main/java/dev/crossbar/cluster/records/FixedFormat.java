package dev.crossbar.cluster.records;

/**
 * A {@link RecordFormat} whose map, kind, sealing and written version are fixed: a record type says only how it
 * writes and reads its fields.
 */
public abstract class FixedFormat<R> implements RecordFormat<R> {

    private final String map;
    private final int kind;
    private final boolean sealed;
    private final int written;

    protected FixedFormat(String map, int kind, boolean sealed, int written) {
        this.map = map;
        this.kind = kind;
        this.sealed = sealed;
        this.written = written;
    }

    @Override
    public final String map() {
        return map;
    }

    @Override
    public final int kind() {
        return kind;
    }

    @Override
    public final boolean sealed() {
        return sealed;
    }

    @Override
    public final int written() {
        return written;
    }
}
