package dev.crossbar.cluster.lease;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.ledger.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random interleavings of several nodes, network delays both ways, lease expiry and settlement never
 * push a key past what the provider allows. The provider is modelled apart from the ledger.
 */
class PoolSimulationProperties {

    private static final LedgerSettings SETTINGS =
            new LedgerSettings(100, 300, 200, 2_000, 200, 1_000, 10_000, 1, 10_000);
    /** Round trips take at most this long; the reclaim grace is longer, as it is in production. */
    private static final long MAX_TRANSIT_MILLIS = 100;
    /** An organisation-wide bucket over every key, as a shared-bucket ledger entry is named. */
    private static final String ORG = "bucket:p/org#1m";

    private record Call(LocalLeases node, Permit permit, long charge, ProviderBucket provider) {}

    /** A permitted call on its way to the provider, which has not seen it yet. */
    private record Sent(LocalLeases node, Permit permit, long charge) {}

    @Property(tries = 150)
    void nodesNeverPushAKeyPastItsLimits(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int nodeCount) {
        Random random = new Random(seed);
        long[] clock = {0};
        DelayedLedger ledger = new DelayedLedger(() -> clock[0], SETTINGS);
        KeyLimits limits = new KeyLimits(
                5 + random.nextInt(40),
                300 + random.nextInt(3_000),
                random.nextBoolean() ? 0 : 1 + random.nextInt(5),
                500 + random.nextInt(1_500));
        ledger.inner().execute("k", new KeyCommand.Ensure("k", limits));
        ProviderBucket provider = new ProviderBucket(limits, 0);
        List<LocalLeases> nodes = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(new LocalLeases(ledger, "node-" + i, () -> clock[0] * 1_000_000L, null));
        }
        List<Sent> inTransit = new ArrayList<>();
        List<Call> running = new ArrayList<>();
        List<String> violations = new ArrayList<>();

        for (int step = 0; step < 3_000; step++) {
            int action = random.nextInt(100);
            if (action < 15) {
                clock[0] += random.nextInt(30);
                ledger.deliverOverdue(MAX_TRANSIT_MILLIS);
            } else if (action < 45) {
                LocalLeases node = nodes.get(random.nextInt(nodeCount));
                long estimate = 1L + random.nextInt(Math.max(1, (int) limits.tokens() / 4));
                long charge = random.nextInt((int) estimate + 1);
                node.acquire("k", estimate).thenAccept(result -> {
                    if (result instanceof Permit permit) {
                        inTransit.add(new Sent(node, permit, charge));
                    }
                });
            } else if (action < 55) {
                // A call reaches the provider some time after its permit (client pools, network).
                if (!inTransit.isEmpty()) {
                    Sent sent = inTransit.remove(random.nextInt(inTransit.size()));
                    String refusal = provider.admit(sent.charge(), clock[0]);
                    if (refusal != null) {
                        violations.add("t=" + clock[0] + " " + refusal);
                        sent.node().release(sent.permit(), true, sent.charge(), Outcome.RATE_LIMITED, 1, -1, "429");
                    } else {
                        sent.node().arrived(sent.permit());
                        running.add(new Call(sent.node(), sent.permit(), sent.charge(), provider));
                    }
                }
            } else if (action < 70) {
                if (!running.isEmpty()) {
                    Call call = running.remove(random.nextInt(running.size()));
                    call.provider().finish();
                    call.node().release(call.permit(), true, call.charge(), Outcome.SUCCESS, 10, -1, null);
                }
            } else if (action < 82) {
                ledger.deliverOne();
            } else if (action < 95) {
                ledger.answerOne(random);
            } else {
                nodes.get(random.nextInt(nodeCount)).sweep();
            }
        }
        assertTrue(
                violations.isEmpty(),
                () -> limits + ": " + violations.size() + " over-limit calls, first: " + violations.get(0));
    }

    /** A call drawing from its key and from the organisation's bucket over every key, on its way to the provider. */
    private record SentShared(LocalLeases node, List<Permit> permits, String keyId, long charge) {}

    /**
     * Three keys under one organisation-wide bucket that holds less than the keys together (the way providers
     * count an organisation's limit): whatever the interleaving, delays and settlement, the provider's own
     * buckets, the keys' and the organisation's, never refuse a call.
     */
    @Property(tries = 100)
    void nodesNeverPushASharedBucketPastItsLimits(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int nodeCount) {
        Random random = new Random(seed);
        long[] clock = {0};
        DelayedLedger ledger = new DelayedLedger(() -> clock[0], SETTINGS);
        Map<String, ProviderBucket> provider = new HashMap<>();
        long window = 500L + random.nextInt(1_500);
        for (String key : List.of("k1", "k2", "k3")) {
            KeyLimits limits = new KeyLimits(5 + random.nextInt(30), 300 + random.nextInt(3_000), 0, window);
            ledger.inner().execute(key, new KeyCommand.Ensure(key, limits));
            provider.put(key, new ProviderBucket(limits, 0));
        }
        KeyLimits org = new KeyLimits(5 + random.nextInt(40), 300 + random.nextInt(4_000), 0, window);
        ledger.inner().execute(ORG, new KeyCommand.Ensure(ORG, org));
        provider.put(ORG, new ProviderBucket(org, 0));
        List<LocalLeases> nodes = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(new LocalLeases(ledger, "node-" + i, () -> clock[0] * 1_000_000L, null));
        }
        List<SentShared> inTransit = new ArrayList<>();
        List<SentShared> running = new ArrayList<>();
        List<String> violations = new ArrayList<>();

        for (int step = 0; step < 3_000; step++) {
            int action = random.nextInt(100);
            if (action < 15) {
                clock[0] += random.nextInt(30);
                ledger.deliverOverdue(MAX_TRANSIT_MILLIS);
            } else if (action < 45) {
                LocalLeases node = nodes.get(random.nextInt(nodeCount));
                String key = "k" + (1 + random.nextInt(3));
                long estimate = 1L + random.nextInt(200);
                long charge = random.nextInt((int) estimate + 1);
                List<Draw> draws = List.of(new Draw(key, estimate), new Draw(ORG, estimate));
                AllOrNone.take(node, draws).thenAccept(result -> {
                    if (result instanceof AllOrNone.Taken taken) {
                        inTransit.add(new SentShared(node, taken.permits(), key, charge));
                    }
                });
            } else if (action < 55) {
                if (!inTransit.isEmpty()) {
                    SentShared sent = inTransit.remove(random.nextInt(inTransit.size()));
                    String refusal = admitBoth(provider, sent, clock[0]);
                    if (refusal != null) {
                        violations.add("t=" + clock[0] + " " + refusal);
                        settle(sent, Outcome.RATE_LIMITED);
                    } else {
                        sent.permits().forEach(sent.node()::arrived);
                        running.add(sent);
                    }
                }
            } else if (action < 70) {
                if (!running.isEmpty()) {
                    settle(running.remove(random.nextInt(running.size())), Outcome.SUCCESS);
                }
            } else if (action < 82) {
                ledger.deliverOne();
            } else if (action < 95) {
                ledger.answerOne(random);
            } else {
                nodes.get(random.nextInt(nodeCount)).sweep();
            }
        }
        assertTrue(
                violations.isEmpty(),
                () -> "org " + org + ": " + violations.size() + " over-limit calls, first: " + violations.get(0));
    }

    /** The provider checks the key's limits and then the organisation's; either may refuse. */
    private static String admitBoth(Map<String, ProviderBucket> provider, SentShared sent, long now) {
        String refusal = provider.get(sent.keyId()).admit(sent.charge(), now);
        if (refusal != null) {
            return sent.keyId() + ": " + refusal;
        }
        refusal = provider.get(ORG).admit(sent.charge(), now);
        return refusal == null ? null : "org: " + refusal;
    }

    private static void settle(SentShared call, Outcome outcome) {
        for (Permit permit : call.permits()) {
            Outcome forEntry = permit.keyId().equals(ORG) && outcome != Outcome.SUCCESS ? Outcome.NEUTRAL : outcome;
            call.node().release(permit, true, call.charge(), forEntry, 10, -1, null);
        }
    }

    @Property(tries = 50)
    void aBusyPoolUsesMostOfItsCapacity(@ForAll long seed) {
        Random random = new Random(seed);
        long[] clock = {0};
        DelayedLedger ledger = new DelayedLedger(() -> clock[0], SETTINGS);
        KeyLimits limits = new KeyLimits(50, 0, 0, 1_000);
        ledger.inner().execute("k", new KeyCommand.Ensure("k", limits));
        ProviderBucket provider = new ProviderBucket(limits, 0);
        List<LocalLeases> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(new LocalLeases(ledger, "node-" + i, () -> clock[0] * 1_000_000L, null));
        }
        // Ten simulated seconds of demand far above the limit, with round trips of about a millisecond.
        for (clock[0] = 0; clock[0] < 10_000; clock[0]++) {
            for (LocalLeases node : nodes) {
                for (int i = 0; i < 3; i++) {
                    node.acquire("k", 1).thenAccept(r -> {
                        if (r instanceof Permit p) {
                            assertNull(provider.admit(0, clock[0]));
                            node.arrived(p);
                            provider.finish();
                            node.release(p, true, 0, Outcome.SUCCESS, 1, -1, null);
                        }
                    });
                }
                if (clock[0] % 20 == 0) {
                    node.sweep();
                }
            }
            ledger.drain(random);
        }
        double capacity = 50 + 50 * 10;
        assertTrue(provider.admitted >= 0.95 * capacity, "used " + provider.admitted + " of " + capacity + " possible");
    }
}
