package dev.crossbar.cluster.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Envelope;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import dev.crossbar.cluster.seal.ValueKinds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyStateFormatTest {

    private static final LedgerSettings SETTINGS = LedgerSettings.DEFAULTS;
    private final ClusterKeyring keys = ClusterKeyring.of(ClusterKey.random(), List.of());

    /**
     * {@code formats/key-state-v1.bin} holds the bytes the ledger wrote before states had a version (commit
     * f6a4058, KeyStateIo.writeState): format 1. A node of this code must read a state a node of that code
     * wrote, field by field.
     */
    @Test
    void shouldReadAStateWrittenByTheCodeBeforeVersionsInFormatOne() throws IOException {
        byte[] fixture;
        try (InputStream in = getClass().getResourceAsStream("/formats/key-state-v1.bin")) {
            fixture = in.readAllBytes();
        }
        KeyState s = KeyStateFormat.read(new DataInputStream(new ByteArrayInputStream(fixture)), 1);
        assertEquals("openai-1", s.keyId());
        assertEquals(new KeyLimits(600, 2_000_000, 50, 60_000), s.limits());
        assertEquals(500, s.requestLimit(), "the learned request limit is in force");
        assertEquals(1_500_000, s.tokenLimit());
        assertEquals(123.5, s.freeRequests());
        assertEquals(456_789.25, s.freeTokens());
        assertEquals(1_700_000_001_000L, s.refilledAt());
        NodeLease lease = s.leases().get("11111111-1111-1111-1111-111111111111");
        assertEquals(41, lease.epoch());
        assertEquals(7, lease.requests());
        assertEquals(7_000, lease.tokens());
        assertEquals(3, lease.slots());
        assertEquals(2, lease.inFlight());
        assertEquals(1_700_000_001_250L, lease.expiresAt());
        assertEquals(42, s.leases.lastEpoch);
        assertEquals(1_700_000_005_000L, s.cooldownUntil());
        assertEquals("rate limited (429)", s.cooldownReason());
        assertEquals(2, s.failureStreak());
        assertTrue(s.probePending());
        assertEquals("22222222-2222-2222-2222-222222222222", s.health.probeNode);
        assertEquals(1_700_000_031_000L, s.health.probeUntil);
        assertFalse(s.disabled());
        assertNull(s.disabledReason());
        assertTrue(s.contended(1_700_000_001_000L));
        assertEquals(1_000, s.successes());
        assertEquals(10, s.failures());
        assertEquals(3, s.rateLimited());
        assertEquals(250_000, s.latencyMillisTotal());
        assertEquals(1_010, s.requestsConsumed());
        assertEquals(2_345_678, s.tokensConsumed());
        NodeShare share = s.shares.byNode.get("22222222-2222-2222-2222-222222222222");
        assertEquals(12.5, share.calls);
        assertEquals(1_700_000_001_300L, share.waitingUntil);
        assertFalse(s.refusedByProvider(), "format 1 knew no scheduled checks");
        assertEquals(0, s.checkedAt());
        // Written back in format 2, format 1's bytes come first, unchanged, and the new fields follow.
        byte[] again = write(s);
        assertArrayEquals(fixture, Arrays.copyOf(again, fixture.length));
        assertEquals(
                s.disabledReason(),
                KeyStateFormat.read(new DataInputStream(new ByteArrayInputStream(again)), 2)
                        .disabledReason());
    }

    @Test
    void shouldRoundTripAStateInUse() throws IOException {
        KeyState key = new KeyState("k", new KeyLimits(10, 1_000, 2, 1_000), 0);
        key.exchange(new LeaseRequest("a", 0, 0, 0, 0, 0, 3, 300, 100, 1, 1, 0, 0, 0), 5, SETTINGS);
        key.recordOutcome(Outcome.FAILED, "a", -1, "boom", 20_000, SETTINGS);
        key.learn(8, 5, -1, -1, 20_001);
        key.recordOutcome(Outcome.REJECTED, "a", -1, "401 invalid key", 20_002, SETTINGS);
        key.claimCheck(20_003, 1_000);
        key.checked(false, "401 still refused");
        KeyState back = KeyStateFormat.read(new DataInputStream(new ByteArrayInputStream(write(key))), 2);
        assertArrayEquals(write(key), write(back));
        assertEquals(8, back.requestLimit());
        assertEquals(1, back.health.windowFailures);
        assertEquals(20_000, back.health.failureWindowStart);
        assertTrue(back.refusedByProvider());
        assertEquals(20_003, back.checkedAt());
        assertEquals("401 still refused", back.checkResult());
    }

    @Test
    void shouldSignStatesAndRefuseForgedMovedAndFutureOnes() {
        KeyStateCodec codec = new KeyStateCodec(keys);
        KeyState state = new KeyState("key-1", new KeyLimits(10, 0, 0, 60_000), 0);
        byte[] signed = codec.encode("key-1", state);
        assertEquals("key-1", codec.decode("key-1", signed).keyId());
        assertEquals(
                Reason.UNAUTHENTIC,
                assertThrows(UnreadableValue.class, () -> codec.decode("key-2", signed))
                        .reason());
        KeyStateCodec forger = new KeyStateCodec(ClusterKeyring.of(ClusterKey.random(), List.of()));
        byte[] forged = forger.encode("key-1", new KeyState("key-1", new KeyLimits(1_000_000, 0, 0, 1), 0));
        assertEquals(
                Reason.UNAUTHENTIC,
                assertThrows(UnreadableValue.class, () -> codec.decode("key-1", forged))
                        .reason());
        byte[] future = Envelope.sign(keys, ValueKinds.KEY_STATE, 99, "key-1", new byte[] {1, 2, 3});
        assertEquals(
                Reason.VERSION,
                assertThrows(UnreadableValue.class, () -> codec.decode("key-1", future))
                        .reason());
        assertEquals(
                Reason.FOREIGN,
                assertThrows(UnreadableValue.class, () -> codec.decode("key-1", "429 forever"))
                        .reason());
    }

    private static byte[] write(KeyState s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KeyStateFormat.write(new DataOutputStream(bytes), s);
        return bytes.toByteArray();
    }
}
