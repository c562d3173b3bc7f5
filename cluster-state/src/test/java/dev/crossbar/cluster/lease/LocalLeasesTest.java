package dev.crossbar.cluster.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.InMemoryLedger;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.ledger.Outcome;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One ledger, several nodes' {@link LocalLeases}, one fake clock: what each node may spend, and when. */
class LocalLeasesTest {

    private static final LedgerSettings SETTINGS =
            new LedgerSettings(250, 2_000, 1_000, 8_000, 1_000, 30_000, 60_000, 1, 10_000);

    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final InMemoryLedger ledger = new InMemoryLedger(millis::get, SETTINGS);

    private LocalLeases node(String id) {
        return new LocalLeases(ledger, id, () -> TimeUnit.MILLISECONDS.toNanos(millis.get()), null);
    }

    private void advance(long ms) {
        millis.addAndGet(ms);
    }

    private Acquisition acquire(LocalLeases node, String key) {
        return node.acquire(key, 10).toCompletableFuture().join();
    }

    /**
     * Regression: nodes refused while another node probed kept the refusal for the whole probe timeout (30 s)
     * after the probe had succeeded and the key was open again.
     */
    @Test
    void shouldLetEveryNodeUseAKeyAgainAsSoonAsTheProbeSucceeds() {
        ledger.execute("k", new KeyCommand.Ensure("k", new KeyLimits(1_000, 0, 0, 60_000)));
        LocalLeases a = node("a");
        LocalLeases b = node("b");
        ledger.execute("k", new KeyCommand.Report(Outcome.RATE_LIMITED, "a", 1_000, "429 from p"));
        advance(1_000);
        Permit probe = assertInstanceOf(Permit.class, acquire(a, "k"));
        assertTrue(probe.probe());
        Acquisition.Denied refused = assertInstanceOf(Acquisition.Denied.class, acquire(b, "k"));
        assertEquals("probing", refused.reason());
        assertTrue(refused.retryAfterMillis() <= SETTINGS.leaseMillis(), "ask again soon: " + refused);

        a.arrived(probe);
        a.release(probe, true, -1, Outcome.SUCCESS, 5, -1, null);
        assertInstanceOf(Permit.class, acquire(b, "k"), "the probe's success reopened the key for b at once");
    }

    @Test
    void shouldKeepARefusalForCapacityUntilItsRetryAfter() {
        ledger.execute("k", new KeyCommand.Ensure("k", new KeyLimits(1, 0, 0, 60_000)));
        LocalLeases a = node("a");
        LocalLeases b = node("b");
        assertInstanceOf(Permit.class, acquire(a, "k"));
        Acquisition.Denied saturated = assertInstanceOf(Acquisition.Denied.class, acquire(b, "k"));
        assertEquals("saturated", saturated.reason());
        AtomicInteger roundTrips = new AtomicInteger();
        ledger.onChange(id -> roundTrips.incrementAndGet());
        assertInstanceOf(Acquisition.Denied.class, acquire(b, "k"));
        assertEquals(0, roundTrips.get(), "a capacity refusal is kept locally, without a round trip");
    }

    @Test
    void shouldPrepareALeaseWithoutTakingAPermit() {
        ledger.execute("k", new KeyCommand.Ensure("k", new KeyLimits(10, 0, 0, 60_000)));
        LocalLeases a = node("a");
        assertEquals(null, a.tryAcquire("k", 0), "no lease yet");
        a.prepare("k", 0);
        assertEquals(1, ledger.snapshot().get("k").leases().size(), "a lease was asked for");
        assertEquals(0, a.inFlight("k"), "and no call was admitted");
        assertInstanceOf(Permit.class, a.tryAcquire("k", 0), "the next call spends it without a round trip");
    }

    /**
     * Regression: a key configured without a request limit whose provider announced one kept spending its
     * lease as if unlimited; the owner granted from the learned limit, nobody enforced it.
     */
    @Test
    void shouldStopSpendingWhereALearnedLimitOnAnUnlimitedKeyEnds() {
        ledger.execute("k", new KeyCommand.Ensure("k", KeyLimits.UNLIMITED));
        LocalLeases a = node("a");
        assertInstanceOf(Permit.class, acquire(a, "k"), "unlimited: a lease sized by demand alone");
        // Its answer said: 6 per window, 5 remain.
        ledger.execute("k", new KeyCommand.Learn(6, 5, -1, -1));
        assertEquals(6, ledger.snapshot().get("k").requestLimit());
        int permits = 0;
        for (int i = 0; i < 50; i++) {
            if (acquire(a, "k") instanceof Permit) {
                permits++;
            }
        }
        // 5 remained at the provider: what the node already held counts against them, never on top.
        assertTrue(permits <= 5, "spent " + permits + " of the 5 the provider said remained");
        assertTrue(permits >= 1, "the key still serves within its limit");
    }

    /**
     * Regression (KeyHealthIT and CloudProvidersEndToEndIT, seen in CI): a key's empty account, and a key the
     * provider had just rate-limited, was asked again, because the next calls were served from the local lease
     * before the ledger's snapshot showed the cooldown.
     */
    @ParameterizedTest
    @EnumSource(
            value = Outcome.class,
            names = {"OUT_OF_CREDIT", "RATE_LIMITED", "REJECTED"})
    void shouldNotSpendAKeyAgainWhileItsFailureIsOnTheWayToTheLedger(Outcome failure) {
        DelayedLedger delayed = new DelayedLedger(millis::get, SETTINGS);
        delayed.inner().execute("k", new KeyCommand.Ensure("k", new KeyLimits(1_000, 0, 0, 60_000)));
        LocalLeases a = new LocalLeases(delayed, "a", () -> TimeUnit.MILLISECONDS.toNanos(millis.get()), null);
        CompletableFuture<Acquisition> first = a.acquire("k", 10).toCompletableFuture();
        delayed.drain(new Random(1));
        Permit permit = assertInstanceOf(Permit.class, first.join());
        a.arrived(permit);
        assertNotNull(a.tryAcquire("k", 10), "the lease has room for more calls");

        a.release(permit, true, -1, failure, 5, -1, "refused by the provider");
        assertNull(a.tryAcquire("k", 10), "not spent while the ledger has not heard of the failure");
        delayed.drain(new Random(1));
        assertNull(a.tryAcquire("k", 10), "and the ledger's cooldown holds it once it has");
    }

    /**
     * Regression (found by MixedResponsesTargetsIT): a node whose lease exchange reached the ledger after an operator
     * disabled a key, but before its snapshot showed it, was refused for "disabled" for a day; once the key was
     * enabled again it waits for one probe, and that node never asked for it, so the key took no traffic there.
     */
    @Test
    void shouldAskForAKeyAgainOnceItIsEnabledAfterTheLedgerRefusedItAsDisabled() {
        DelayedLedger delayed = new DelayedLedger(millis::get, SETTINGS);
        delayed.inner().execute("k", new KeyCommand.Ensure("k", new KeyLimits(1_000, 0, 0, 60_000)));
        LocalLeases a = new LocalLeases(delayed, "a", () -> TimeUnit.MILLISECONDS.toNanos(millis.get()), null);
        CompletableFuture<Acquisition> sent = a.acquire("k", 10).toCompletableFuture();
        delayed.inner().execute("k", new KeyCommand.SetDisabled(true, "rotating")); // another node's admin call
        delayed.drain(new Random(1));
        Acquisition.Denied disabled = assertInstanceOf(Acquisition.Denied.class, sent.join());
        assertEquals("disabled", disabled.reason(), "the ledger refused what a's snapshot showed open");

        delayed.inner().execute("k", new KeyCommand.SetDisabled(false, null));
        advance(1);
        CompletableFuture<Acquisition> again = a.acquire("k", 10).toCompletableFuture();
        delayed.drain(new Random(1));
        Permit probe = assertInstanceOf(Permit.class, again.join(), "the enabled key's probe goes to a");
        assertTrue(probe.probe());
    }
}
