package dev.crossbar.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.KeyStateCodec;
import dev.crossbar.cluster.ledger.LeaseGrant;
import dev.crossbar.cluster.ledger.LeaseRequest;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.ledger.LedgerContract;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/** The ledger contract on two real members, plus what only a cluster can show. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastLedgerTest extends LedgerContract {

    private final TestMembers members = new TestMembers();
    private HazelcastLedger first;
    private HazelcastLedger second;

    @BeforeAll
    void startMembers() {
        HazelcastInstance a = members.start();
        HazelcastInstance b = members.start();
        assertEquals(2, a.getCluster().getMembers().size());
        first = new HazelcastLedger(a, LedgerSettings.DEFAULTS);
        second = new HazelcastLedger(b, LedgerSettings.DEFAULTS);
    }

    @AfterAll
    void stopMembers() {
        first.close();
        second.close();
        members.close();
    }

    @Override
    protected Ledger ledger() {
        return first;
    }

    @Test
    void shouldShowACooldownSetOnOneMemberOnTheOtherWithinMilliseconds() throws Exception {
        first.execute("cool", new KeyCommand.Ensure("cool", new KeyLimits(100, 0, 0, 60_000)))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        awaitOn(second, "cool");
        long start = System.nanoTime();
        first.execute("cool", new KeyCommand.Report(Outcome.RATE_LIMITED, "n1", 10_000, "429"))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        while (!second.snapshot().get("cool").blockedAt(second.now())) {
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "cooldown never reached member 2");
            Thread.onSpinWait();
        }
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        System.out.println("cooldown visible on the second member after " + micros + " us");
        assertTrue(micros < 200_000, "took " + micros + " us");
    }

    @Test
    void shouldShareOneLimitBetweenMembers() throws Exception {
        first.execute("shared", new KeyCommand.Ensure("shared", new KeyLimits(7, 0, 0, 600_000)))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        long total = 0;
        for (int i = 0; i < 6; i++) {
            Ledger via = i % 2 == 0 ? first : second;
            LeaseGrant g = via.exchange("shared", new LeaseRequest("node-" + i, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            total += g.requests();
        }
        assertEquals(7, total);
    }

    /**
     * Hazelcast runs a future's callbacks on its default async executor, which on a machine with two
     * cores or fewer starts a new thread for every task; the ledger must not spawn threads per call.
     */
    @Test
    void shouldRunCallbacksWithoutStartingAThreadPerCall() throws Exception {
        first.execute("callbacks", new KeyCommand.Ensure("callbacks", new KeyLimits(0, 0, 0, 60_000)))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HazelcastLedger via = i % 2 == 0 ? first : second;
            calls.add(via.execute("callbacks", new KeyCommand.Report(Outcome.SUCCESS, "node-x", 0, null))
                    .whenComplete(
                            (ok, err) -> threads.add(Thread.currentThread().getName()))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> all = first.executeOnAll(new KeyCommand.ReclaimNode("no-such-node"))
                .whenComplete((ok, err) -> threads.add(Thread.currentThread().getName()))
                .toCompletableFuture();
        all.get(10, TimeUnit.SECONDS);
        for (String name : threads) {
            assertFalse(
                    name.matches("Thread-\\d+") || name.startsWith("ForkJoinPool"),
                    "a ledger callback ran on " + name + " (all: " + threads + ")");
        }
        assertTrue(threads.size() < 20, "callback threads are reused: " + threads);
    }

    /**
     * Regression (issue 14): a value put into {@code crossbar.keys} by a writer without the cluster key was
     * deserialised and then refused clients with 429 on every request. Now neither member's snapshot takes it,
     * the owner runs the next command on the last authentic state, and its write replaces the forgery.
     */
    @Test
    void shouldIgnoreAForgedStateAndKeepGrantingFromTheLastAuthenticOne() throws Exception {
        String key = "forged";
        first.execute(key, new KeyCommand.Ensure(key, new KeyLimits(50, 0, 0, 600_000)))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        awaitOn(second, key);
        KeyStateCodec forger = new KeyStateCodec(ClusterKeyring.of(ClusterKey.random(), List.of()));
        KeyState blocked = new KeyState(key, new KeyLimits(50, 0, 0, 600_000), 0);
        blocked.setDisabled(true, "forged");
        long refusedBefore = members.rejections().count(HazelcastLedger.KEYS_MAP, Reason.UNAUTHENTIC);
        members.members().get(0).getMap(HazelcastLedger.KEYS_MAP).set(key, forger.encode(key, blocked));
        awaitTrue(
                () -> members.rejections().count(HazelcastLedger.KEYS_MAP, Reason.UNAUTHENTIC) >= refusedBefore + 2,
                "both members refused the forged state");
        assertFalse(first.snapshot().get(key).disabled());
        assertFalse(second.snapshot().get(key).disabled());
        LeaseGrant grant = second.exchange(key, new LeaseRequest("n", 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(5, grant.requests(), "the key still serves: " + grant);
        Object stored =
                members.members().get(1).getMap(HazelcastLedger.KEYS_MAP).get(key);
        assertFalse(new KeyStateCodec(members.keys()).decode(key, stored).disabled(), "the forgery is replaced");
    }

    /**
     * A string, or a Java object whose class would run code when read, in the keys map: ignored, never read.
     * Regression: the backup replica decoded the old value before replacing it, so every backup of the key
     * failed and every exchange waited for a backup ack that never came (clients got 429 from the queue).
     */
    @Test
    void shouldIgnoreValuesOfForeignTypesWithoutDeserializingThem() throws Exception {
        String key = "foreign";
        first.execute(key, new KeyCommand.Ensure(key, new KeyLimits(50, 0, 0, 600_000)))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        awaitOn(second, key);
        Logger hazelcastLog = (Logger) LoggerFactory.getLogger("com.hazelcast");
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        errors.start();
        hazelcastLog.addAppender(errors);
        try {
            Gadget.readObjects.set(0);
            long before = members.rejections().total();
            var map = members.members().get(0).getMap(HazelcastLedger.KEYS_MAP);
            map.set(key, "429 forever");
            awaitTrue(() -> members.rejections().total() >= before + 2, "the string refused");
            map.set(key, new Gadget());
            awaitTrue(() -> members.rejections().total() >= before + 4, "the Java object refused");
            for (HazelcastLedger ledger : List.of(first, second, first)) {
                LeaseGrant grant = ledger.exchange(key, new LeaseRequest("n", 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                assertEquals(5, grant.requests(), "the key still serves: " + grant);
            }
            assertEquals(0, Gadget.readObjects.get(), "the foreign class's readObject ran");
            assertEquals(50, second.snapshot().get(key).limits().requests());
            List<String> failed = errors.list.stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
            assertEquals(List.of(), failed, "a member failed an operation on the foreign value");
        } finally {
            hazelcastLog.detachAppender(errors);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "never: " + what);
            Thread.onSpinWait();
        }
    }

    private static void awaitOn(HazelcastLedger ledger, String key) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!ledger.snapshot().containsKey(key)) {
            assertTrue(System.nanoTime() < deadline, key + " never reached the member");
            Thread.onSpinWait();
        }
    }
}
