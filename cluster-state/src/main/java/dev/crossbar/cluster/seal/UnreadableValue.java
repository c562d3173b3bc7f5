package dev.crossbar.cluster.seal;

/**
 * A value in cluster state that this node will not use: not written by Crossbar, not authentic under any
 * accepted cluster key, of a format version this node cannot read, or malformed. Such values are ignored,
 * logged and counted; they never reach the code that acts on shared state. No stack trace: it is an
 * expected outcome, and a forger must not be able to make a node spend time on them.
 */
public final class UnreadableValue extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a value was refused: the label of the metric that counts it. */
    public enum Reason {
        /** Not a Crossbar value: another type, another kind of record, or bytes without our header. */
        FOREIGN("foreign"),
        /** Signed or sealed by a key this node does not hold, or altered since. */
        UNAUTHENTIC("unauthentic"),
        /** A format version this node cannot read (a newer node wrote it). */
        VERSION("version"),
        /** Authentic but not decodable: a bug, never an attack (only key holders can write it). */
        MALFORMED("malformed");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Reason reason;

    public UnreadableValue(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
