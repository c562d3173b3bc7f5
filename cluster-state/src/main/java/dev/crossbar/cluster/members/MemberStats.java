package dev.crossbar.cluster.members;

import dev.crossbar.cluster.records.FixedFormat;
import dev.crossbar.cluster.records.RecordFormat;
import dev.crossbar.cluster.seal.ValueKinds;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What one node says about itself for the cluster view, published about once a second (signed, in
 * {@code crossbar.nodes}, with a time to live so a dead member's record vanishes).
 *
 * @param http              the node's client-facing base URL
 * @param requestsPerSecond requests finished per second over the last few seconds
 * @param clusterKey        the fingerprint of the cluster key the node writes with (a rotation's progress)
 */
public record MemberStats(
        String id,
        String http,
        String version,
        long startedAt,
        long reportedAt,
        double requestsPerSecond,
        int inFlight,
        long requestsTotal,
        boolean draining,
        String clusterKey) {

    public static final String MAP = "crossbar.nodes";

    /** Version 1: the fields in order. */
    public static final RecordFormat<MemberStats> FORMAT = new FixedFormat<>(MAP, ValueKinds.MEMBER_STATS, false, 1) {
        @Override
        public void write(DataOutput out, MemberStats s) throws IOException {
            out.writeUTF(s.id());
            out.writeUTF(s.http());
            out.writeUTF(s.version());
            out.writeLong(s.startedAt());
            out.writeLong(s.reportedAt());
            out.writeDouble(s.requestsPerSecond());
            out.writeInt(s.inFlight());
            out.writeLong(s.requestsTotal());
            out.writeBoolean(s.draining());
            out.writeUTF(s.clusterKey());
        }

        @Override
        public MemberStats read(DataInput in, int version) throws IOException {
            if (version != 1) {
                throw new IOException("format " + version + " is not known here");
            }
            return new MemberStats(
                    in.readUTF(),
                    in.readUTF(),
                    in.readUTF(),
                    in.readLong(),
                    in.readLong(),
                    in.readDouble(),
                    in.readInt(),
                    in.readLong(),
                    in.readBoolean(),
                    in.readUTF());
        }
    };
}
