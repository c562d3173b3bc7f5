package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.cluster.ledger.InMemoryLedger;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.keys.BucketEntry;
import dev.crossbar.gateway.keys.SharedPermit;
import dev.crossbar.gateway.keys.TokenPart;
import dev.crossbar.gateway.pricing.Cost;
import dev.crossbar.gateway.pricing.PriceTable;
import dev.crossbar.gateway.pricing.Prices;
import dev.crossbar.gateway.routing.Target;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SettlementTest {

    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final InMemoryLedger ledger = new InMemoryLedger(millis::get, LedgerSettings.DEFAULTS);
    private final LocalLeases leases =
            new LocalLeases(ledger, "node-a", () -> TimeUnit.MILLISECONDS.toNanos(millis.get()), null);
    private final List<RequestRecord> records = new ArrayList<>();
    private final Fixture fixture =
            new Fixture(Fixture.YAML + "prices:\n  - { provider: openai, model: gpt-4o, input: 2, output: 8 }\n");

    private Permit permit(String keyId) throws Exception {
        ledger.execute(keyId, new KeyCommand.Ensure(keyId, new KeyLimits(1_000, 1_000_000, 10, 60_000)))
                .toCompletableFuture()
                .get();
        return assertInstanceOf(
                Permit.class, leases.acquire(keyId, 100).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    private Settlement settlement() {
        Prices prices = new Prices(fixture.config, PriceTable.shipped());
        return new Settlement(
                leases, records::add, () -> prices, null, "req_1", "openai-chat", "app", "web", System.nanoTime());
    }

    private UpstreamCall attempt(Permit permit) {
        return attempt(permit, List.of());
    }

    private UpstreamCall attempt(Permit permit, List<SharedPermit> shared) {
        Call call = fixture.admit(
                        Protocol.OPENAI_CHAT,
                        "{\"model\":\"on-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .call();
        Target target = call.targets().get(0);
        return new UpstreamCall(
                target,
                target.upstream().keys().get(0),
                permit,
                shared,
                new Translation(call, null, FieldPolicy.ALLOW_ALL).prepare(target),
                new TokenMeter(100, 10, 0),
                true);
    }

    @Test
    void shouldReleaseEachPermitOnce() throws Exception {
        Permit key = permit("openai-1");
        Permit client = permit("client:app");
        Settlement settlement = settlement();
        settlement.clientAdmitted(client);
        settlement.attempting(attempt(key));
        assertEquals(1, leases.inFlight("openai-1"));
        settlement.releaseKey(Outcome.NEUTRAL, -1, -1, null);
        settlement.releaseKey(Outcome.FAILED, -1, -1, "again");
        assertEquals(0, leases.inFlight("openai-1"), "released once, not twice");
        assertEquals(1, leases.inFlight("client:app"), "the client key's permit goes with the record");
        settlement.record(200, "success", 1, 0, null, null);
        assertEquals(0, leases.inFlight("client:app"));
    }

    private SharedPermit shared(String id, TokenPart part, boolean shortest) throws Exception {
        BucketEntry entry = new BucketEntry(
                id, "openai", "org", null, "1m", part, new KeyLimits(1_000, 1_000_000, 0, 60_000), null, shortest);
        return new SharedPermit(entry, permit(id));
    }

    @Test
    void shouldReleaseTheSharedBucketsWithTheKeyAndEmptyTheShortestOnA429() throws Exception {
        SharedPermit minute = shared("bucket:openai/org#1m", TokenPart.TOTAL, true);
        SharedPermit day = shared("bucket:openai/org#1d", TokenPart.TOTAL, false);
        SharedPermit input = shared("bucket:openai/org#1m:in", TokenPart.INPUT, true);
        Settlement settlement = settlement();
        settlement.attempting(attempt(permit("openai-1"), List.of(minute, day, input)));
        assertEquals(1, leases.inFlight("bucket:openai/org#1m"));
        settlement.releaseKey(Outcome.RATE_LIMITED, -1, 1_000, "429 from openai");
        settlement.releaseKey(Outcome.RATE_LIMITED, -1, 1_000, "429 from openai");
        for (SharedPermit p : List.of(minute, day, input)) {
            assertEquals(0, leases.inFlight(p.entry().id()), p.entry().id() + " released once");
        }
        assertEquals(0.0, ledger.snapshot().get("bucket:openai/org#1m").freeRequests(), 1e-9, "a 429 empties it");
        assertEquals(0.0, ledger.snapshot().get("bucket:openai/org#1m:in").freeTokens(), 1e-9);
        assertEquals(false, ledger.snapshot().get("bucket:openai/org#1m").blockedAt(millis.get()), "no cooldown");
        assertEquals(
                true, ledger.snapshot().get("bucket:openai/org#1d").freeRequests() > 0, "the longer window keeps its");
    }

    @Test
    void shouldGiveTheSharedBucketsBackWholeWhenNothingIsSent() throws Exception {
        SharedPermit minute = shared("bucket:openai/org#1m", TokenPart.TOTAL, true);
        Permit key = permit("openai-1");
        settlement().unused(new Attempts.Granted(null, null, key, List.of(minute)));
        assertEquals(0, leases.inFlight("bucket:openai/org#1m"));
        leases.releaseAll().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(1_000.0, ledger.snapshot().get("bucket:openai/org#1m").freeRequests(), 1e-9, "cost nothing");
    }

    @Test
    void shouldRecordTheLastAttemptWithItsUsage() throws Exception {
        Settlement settlement = settlement();
        settlement.asked("on-openai", true);
        UpstreamCall attempt = attempt(permit("openai-1"));
        attempt.meter().reported(Usage.of(40, 7));
        settlement.attempting(attempt);
        settlement.releaseKey(Outcome.SUCCESS, 47, -1, null);
        settlement.record(200, "success", 2, 5, "web_search", null);
        RequestRecord r = records.get(0);
        assertEquals("on-openai", r.model());
        assertEquals("openai", r.provider());
        assertEquals("openai-1", r.keyId());
        assertEquals(40, r.inputTokens());
        assertEquals(7, r.outputTokens());
        assertEquals(2, r.attempts());
        assertEquals(5, r.queueNanos());
        assertEquals("web_search", r.droppedTools());
        assertEquals(true, r.stream());
        assertEquals("web", r.team());
    }

    @Test
    void shouldPriceTheLastCallThatReachedAProviderAtItsTargetsPrice() throws Exception {
        Settlement settlement = settlement();
        settlement.asked("on-openai", false);
        UpstreamCall attempt = attempt(permit("openai-1"));
        attempt.meter().reported(Usage.of(1_000_000, 1_000_000));
        attempt.meter().charge(true);
        settlement.attempting(attempt);
        settlement.releaseKey(Outcome.SUCCESS, 2_000_000, -1, null);
        settlement.record(200, "success", 1, 0, null, null);
        Cost.Known cost = assertInstanceOf(Cost.Known.class, records.get(0).cost());
        assertEquals(0, new BigDecimal("10").compareTo(cost.usd()), "a million tokens in at $2 and out at $8");
        assertEquals(false, cost.estimated());
    }

    @Test
    void shouldRecordARequestRefusedBeforeAnyProvider() {
        Settlement settlement = settlement();
        settlement.asked(null, false);
        settlement.record(404, "client_error", 0, 0, null, null);
        RequestRecord r = records.get(0);
        assertNull(r.provider());
        assertEquals(0, r.upstreamNanos());
        assertEquals(-1, r.firstByteNanos());
        assertEquals(Cost.NONE, r.cost(), "nothing reached a provider: nothing spent");
    }
}
