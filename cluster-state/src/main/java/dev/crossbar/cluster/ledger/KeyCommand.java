package dev.crossbar.cluster.ledger;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * One atomic change to one key's state. A ledger runs it where the state lives (the key's partition
 * owner, or under a lock in memory). Commands write themselves to a plain {@link DataOutput}, so any
 * transport can carry them without this package knowing it.
 */
public sealed interface KeyCommand {

    /**
     * Applies the command.
     *
     * @param state the key's state, or null when the key is unknown
     * @return the command's answer; {@link Applied#state()} null deletes the key
     */
    Applied apply(@Nullable KeyState state, long now, LedgerSettings settings);

    void writeTo(DataOutput out) throws IOException;

    /** The new state (null: absent) and the answer for the caller. */
    record Applied(@Nullable KeyState state, @Nullable Object answer) {}

    /** Report on a lease and ask for more. Answers a {@link LeaseGrant}. */
    record Exchange(LeaseRequest request) implements KeyCommand {
        static final LeaseGrant UNKNOWN_KEY =
                new LeaseGrant(0, 0, 0, 0, 0, Long.MAX_VALUE, "unknown key", false, false, true);

        @Override
        public Applied apply(@Nullable KeyState state, long now, LedgerSettings settings) {
            if (state == null) {
                return new Applied(null, UNKNOWN_KEY);
            }
            return new Applied(state, state.exchange(request, now, settings));
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeByte(1);
            LeaseRequest q = request;
            out.writeUTF(q.nodeId());
            out.writeLong(q.epoch());
            out.writeLong(q.consumedRequests());
            out.writeLong(q.consumedTokens());
            out.writeLong(q.returnedRequests());
            out.writeLong(q.returnedTokens());
            out.writeLong(q.wantRequests());
            out.writeLong(q.wantTokens());
            out.writeLong(q.minTokens());
            out.writeInt(q.inFlight());
            out.writeInt(q.wantSlots());
            out.writeLong(q.successes());
            out.writeLong(q.failures());
            out.writeLong(q.latencyMillis());
        }
    }

    /** How a call ended: feeds cooldowns, the disabled flag and the probe. Answers null. */
    record Report(
            Outcome outcome,
            String nodeId,
            long retryAfterMillis,
            @Nullable String reason) implements KeyCommand {
        @Override
        public Applied apply(@Nullable KeyState state, long now, LedgerSettings settings) {
            if (state != null) {
                state.recordOutcome(outcome, nodeId, retryAfterMillis, reason, now, settings);
            }
            return new Applied(state, null);
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeByte(2);
            out.writeByte(outcomeCode(outcome));
            out.writeUTF(nodeId);
            out.writeLong(retryAfterMillis);
            KeyStateIo.writeNullable(out, reason);
        }
    }

    /** What the provider's rate-limit headers said (-1: not said). Answers null. */
    record Learn(long requestLimit, long requestsRemaining, long tokenLimit, long tokensRemaining)
            implements KeyCommand {
        @Override
        public Applied apply(@Nullable KeyState state, long now, LedgerSettings settings) {
            if (state != null) {
                state.learn(requestLimit, requestsRemaining, tokenLimit, tokensRemaining, now);
            }
            return new Applied(state, null);
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeByte(3);
            out.writeLong(requestLimit);
            out.writeLong(requestsRemaining);
            out.writeLong(tokenLimit);
            out.writeLong(tokensRemaining);
        }
    }

    /** An admin turns a key off or on. Answers true when the key exists. */
    record SetDisabled(boolean disabled, @Nullable String reason) implements KeyCommand {
        @Override
        public Applied apply(@Nullable KeyState state, long now, LedgerSettings settings) {
            if (state == null) {
                return new Applied(null, false);
            }
            state.setDisabled(disabled, reason);
            return new Applied(state, true);
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeByte(4);
            out.writeBoolean(disabled);
            KeyStateIo.writeNullable(out, reason);
        }
    }

    /** Creates the key if absent, else updates its limits. Answers null. */
    record Ensure(String keyId, KeyLimits limits) implements KeyCommand {
        @Override
        public Applied apply(@Nullable KeyState state, long now, LedgerSettings settings) {
            if (state == null) {
                return new Applied(new KeyState(keyId, limits, now), null);
            }
            if (!state.limits().equals(limits)) {
                state.updateLimits(limits, now);
            }
            return new Applied(state, null);
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeByte(5);
            out.writeUTF(keyId);
            KeyStateIo.writeLimits(out, limits);
        }
    }

    /** Forgets the key. Answers true when it existed. */
    record Delete() implements KeyCommand {
        @Override
        public Applied apply(@Nullable KeyState state, long now, LedgerSettings settings) {
            return new Applied(null, state != null);
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeByte(6);
        }
    }

    /** A node left: its leases and slots go back. Answers null. */
    record ReclaimNode(String nodeId) implements KeyCommand {
        @Override
        public Applied apply(@Nullable KeyState state, long now, LedgerSettings settings) {
            if (state != null) {
                state.reclaimNode(nodeId, now);
            }
            return new Applied(state, null);
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeByte(7);
            out.writeUTF(nodeId);
        }
    }

    /**
     * Writes the state back unchanged: signed again with the current cluster key (a key rotation). Answers
     * null.
     */
    record Rewrite() implements KeyCommand {
        @Override
        public Applied apply(@Nullable KeyState state, long now, LedgerSettings settings) {
            return new Applied(state, null);
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeByte(8);
        }
    }

    /**
     * Claims the scheduled check of a key the provider refused (at most one node per interval). Answers true
     * when the caller is to check the key now.
     */
    record ClaimCheck(long intervalMillis) implements KeyCommand {
        @Override
        public Applied apply(@Nullable KeyState state, long now, LedgerSettings settings) {
            if (state == null) {
                return new Applied(null, false);
            }
            return new Applied(state, state.claimCheck(now, intervalMillis));
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeByte(9);
            out.writeLong(intervalMillis);
        }
    }

    /** What a scheduled check found: an accepted key comes back. Answers null. */
    record Checked(boolean accepted, String result) implements KeyCommand {
        @Override
        public Applied apply(@Nullable KeyState state, long now, LedgerSettings settings) {
            if (state != null) {
                state.checked(accepted, result);
            }
            return new Applied(state, null);
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeByte(10);
            out.writeBoolean(accepted);
            out.writeUTF(result);
        }
    }

    static KeyCommand readFrom(DataInput in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case 1 ->
                new Exchange(new LeaseRequest(
                        in.readUTF(),
                        in.readLong(),
                        in.readLong(),
                        in.readLong(),
                        in.readLong(),
                        in.readLong(),
                        in.readLong(),
                        in.readLong(),
                        in.readLong(),
                        in.readInt(),
                        in.readInt(),
                        in.readLong(),
                        in.readLong(),
                        in.readLong()));
            case 2 -> new Report(outcomeOf(in.readByte()), in.readUTF(), in.readLong(), KeyStateIo.readNullable(in));
            case 3 -> new Learn(in.readLong(), in.readLong(), in.readLong(), in.readLong());
            case 4 -> new SetDisabled(in.readBoolean(), KeyStateIo.readNullable(in));
            case 5 -> new Ensure(in.readUTF(), KeyStateIo.readLimits(in));
            case 6 -> new Delete();
            case 7 -> new ReclaimNode(in.readUTF());
            case 8 -> new Rewrite();
            case 9 -> new ClaimCheck(in.readLong());
            case 10 -> new Checked(in.readBoolean(), in.readUTF());
            default -> throw new IOException("unknown key command tag " + tag);
        };
    }

    /** An outcome's code on the wire, fixed per constant: reordering the enum cannot change the format. */
    private static int outcomeCode(Outcome outcome) {
        return switch (outcome) {
            case SUCCESS -> 0;
            case RATE_LIMITED -> 1;
            case REJECTED -> 2;
            case FAILED -> 3;
            case NEUTRAL -> 4;
            case OUT_OF_CREDIT -> 5;
        };
    }

    private static Outcome outcomeOf(int code) throws IOException {
        return switch (code) {
            case 0 -> Outcome.SUCCESS;
            case 1 -> Outcome.RATE_LIMITED;
            case 2 -> Outcome.REJECTED;
            case 3 -> Outcome.FAILED;
            case 4 -> Outcome.NEUTRAL;
            case 5 -> Outcome.OUT_OF_CREDIT;
            default -> throw new IOException("unknown outcome code " + code);
        };
    }
}
