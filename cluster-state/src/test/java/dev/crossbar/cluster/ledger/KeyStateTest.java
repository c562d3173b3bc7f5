package dev.crossbar.cluster.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyStateTest {

    /** Every server error cools the key down: the backoff's own steps show. */
    private static final LedgerSettings SETTINGS =
            new LedgerSettings(250, 1_000, 1_000, 8_000, 1_000, 5_000, 60_000, 1, 10_000);
    /** Three server errors within ten seconds cool the key down. */
    private static final LedgerSettings THREE_IN_TEN_SECONDS =
            new LedgerSettings(250, 1_000, 1_000, 8_000, 1_000, 5_000, 60_000, 3, 10_000);

    private static final KeyLimits TEN_PER_SECOND = new KeyLimits(10, 1_000, 3, 1_000);

    private static LeaseRequest want(String node, long epoch, long requests, long tokens, int inFlight) {
        return new LeaseRequest(node, epoch, 0, 0, 0, 0, requests, tokens, 1, inFlight, inFlight + 1, 0, 0, 0);
    }

    @Test
    void shouldNeverGrantMoreThanTheLimitAcrossNodes() {
        KeyState key = new KeyState("k", new KeyLimits(10, 1_000, 0, 1_000), 0);
        long total = 0;
        for (int i = 0; i < 20; i++) {
            total += key.exchange(want("node-" + i, 0, 5, 100, 0), 0, SETTINGS).requests();
        }
        assertEquals(10, total);
    }

    @Test
    void shouldNotRefillCapacityThatNodesStillHold() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        LeaseGrant a = key.exchange(want("a", 0, 10, 100, 0), 0, SETTINGS);
        assertEquals(10, a.requests());
        // Half a window later the bucket would hold 5 again, but all 10 are still leased (maybe unspent).
        LeaseGrant b = key.exchange(want("b", 0, 5, 100, 0), 200, SETTINGS);
        assertEquals(0, b.requests());
        assertEquals("saturated", b.blocked());
        assertTrue(b.retryAfterMillis() > 0);
    }

    @Test
    void shouldRefillOnceSpendingIsReported() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        LeaseGrant a = key.exchange(want("a", 0, 10, 100, 0), 0, SETTINGS);
        LeaseRequest spentAll = new LeaseRequest("a", a.epoch(), 10, 100, 0, 0, 1, 10, 1, 0, 1, 10, 0, 50);
        LeaseGrant again = key.exchange(spentAll, 100, SETTINGS);
        assertEquals(0, again.requests(), "only 1 request refilled since the report, and refill started at the report");
        LeaseGrant later =
                key.exchange(new LeaseRequest("a", again.epoch(), 0, 0, 0, 0, 5, 10, 1, 0, 1, 0, 0, 0), 400, SETTINGS);
        assertEquals(3, later.requests());
        assertEquals(10, key.successes());
    }

    @Test
    void shouldReturnUnspentCapacityToTheBucket() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        LeaseGrant a = key.exchange(want("a", 0, 10, 1_000, 0), 0, SETTINGS);
        key.exchange(new LeaseRequest("a", a.epoch(), 2, 100, 8, 900, 0, 0, 0, 0, 0, 0, 0, 0), 10, SETTINGS);
        assertEquals(8, (long) key.freeRequests());
        assertTrue(key.leases().isEmpty(), "a release with nothing in flight drops the lease");
    }

    @Test
    void shouldIgnoreReturnsForALeaseAlreadyReclaimed() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        LeaseGrant a = key.exchange(want("a", 0, 10, 100, 0), 0, SETTINGS);
        // a is silent past expiry plus grace: its lease is reclaimed as spent.
        key.exchange(want("b", 0, 1, 1, 0), 2_000, SETTINGS);
        assertFalse(key.leases().containsKey("a"));
        double freeBefore = key.freeRequests();
        key.exchange(new LeaseRequest("a", a.epoch(), 0, 0, 10, 100, 0, 0, 0, 0, 0, 0, 0, 0), 2_000, SETTINGS);
        assertEquals(freeBefore, key.freeRequests());
    }

    @Test
    void shouldCapConcurrencySlotsAcrossNodes() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        LeaseGrant a = key.exchange(new LeaseRequest("a", 0, 0, 0, 0, 0, 2, 10, 1, 0, 3, 0, 0, 0), 0, SETTINGS);
        assertEquals(3, a.slots());
        LeaseGrant b = key.exchange(want("b", 0, 1, 10, 0), 0, SETTINGS);
        assertEquals(0, b.requests());
        assertEquals("saturated", b.blocked());
    }

    @Test
    void shouldKeepTheLongestCooldownDeadline() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        key.recordOutcome(Outcome.RATE_LIMITED, "a", 5_000, "429", 0, SETTINGS);
        key.recordOutcome(Outcome.RATE_LIMITED, "b", 1_000, "429", 10, SETTINGS);
        assertEquals(5_000, key.cooldownUntil());
        LeaseGrant during = key.exchange(want("a", 0, 1, 1, 0), 100, SETTINGS);
        assertEquals("cooling down", during.blocked());
        assertEquals(4_900, during.retryAfterMillis());
    }

    @Test
    void shouldDisableOnRejectionUntilEnabled() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        key.recordOutcome(Outcome.REJECTED, "a", -1, "401 from provider", 0, SETTINGS);
        assertTrue(key.disabled());
        assertEquals(
                "disabled",
                key.exchange(want("a", 0, 1, 1, 0), 10_000, SETTINGS).blocked());
        key.setDisabled(false, null);
        assertFalse(key.disabled());
    }

    @Test
    void shouldTakeAKeyOutOfCreditOutOfRotationForTheCreditCooldownThenProbeIt() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        key.recordOutcome(Outcome.OUT_OF_CREDIT, "a", -1, "out of credit: 429 insufficient_quota", 0, SETTINGS);
        assertFalse(key.disabled(), "an account can be topped up: the key comes back by itself");
        assertEquals(60_000, key.cooldownUntil());
        assertEquals("out of credit: 429 insufficient_quota", key.cooldownReason());
        LeaseGrant during = key.exchange(want("b", 0, 1, 1, 0), 59_000, SETTINGS);
        assertEquals("cooling down", during.blocked());
        LeaseGrant probe = key.exchange(want("b", 0, 5, 10, 0), 60_000, SETTINGS);
        assertTrue(probe.probe());
        assertEquals(1, probe.requests());
        key.recordOutcome(Outcome.OUT_OF_CREDIT, "b", -1, "out of credit: 429 insufficient_quota", 60_100, SETTINGS);
        assertEquals(120_100, key.cooldownUntil(), "a probe that meets an empty account puts it back out");
    }

    @Test
    void shouldBackOffExponentiallyOnFailures() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 0, SETTINGS);
        assertEquals(1_000, key.cooldownUntil());
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 1_000, SETTINGS);
        assertEquals(3_000, key.cooldownUntil());
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 3_000, SETTINGS);
        assertEquals(7_000, key.cooldownUntil());
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 7_000, SETTINGS);
        assertEquals(15_000, key.cooldownUntil(), "capped at backoffMax");
    }

    @Test
    void shouldCoolDownOnlyAtTheNthServerErrorWithinTheWindow() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 0, THREE_IN_TEN_SECONDS);
        key.recordOutcome(Outcome.SUCCESS, "a", -1, null, 100, THREE_IN_TEN_SECONDS);
        key.recordOutcome(Outcome.FAILED, "b", -1, "500", 200, THREE_IN_TEN_SECONDS);
        assertFalse(key.blockedAt(300), "two server errors leave the key in rotation");
        key.recordOutcome(Outcome.FAILED, "a", -1, "502", 9_000, THREE_IN_TEN_SECONDS);
        assertTrue(key.blockedAt(9_001), "the third within ten seconds, from any node, cools it down");
        assertEquals(10_000, key.cooldownUntil());
        assertEquals("502", key.cooldownReason());
    }

    @Test
    void shouldForgetServerErrorsOlderThanTheWindow() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 0, THREE_IN_TEN_SECONDS);
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 5_000, THREE_IN_TEN_SECONDS);
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 10_000, THREE_IN_TEN_SECONDS);
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 15_000, THREE_IN_TEN_SECONDS);
        assertFalse(key.blockedAt(15_001), "never three within one window");
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 16_000, THREE_IN_TEN_SECONDS);
        assertTrue(key.blockedAt(16_001));
    }

    @Test
    void shouldCoolDownAtOnceWhenTheProviderSaysWhenOrTheProbeFails() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        key.recordOutcome(Outcome.FAILED, "a", 5_000, "503 retry-after 5", 0, THREE_IN_TEN_SECONDS);
        assertEquals(5_000, key.cooldownUntil(), "a stated retry delay is heeded at the first error");
        assertTrue(key.exchange(want("a", 0, 5, 100, 0), 5_000, THREE_IN_TEN_SECONDS)
                .probe());
        key.recordOutcome(Outcome.FAILED, "a", -1, "500", 5_100, THREE_IN_TEN_SECONDS);
        assertTrue(key.blockedAt(5_101), "the probe after a cooldown failed: out again at once");
    }

    @Test
    void shouldCheckAKeyTheProviderRefusedOncePerIntervalAcrossNodesAndBringItBackWhenAccepted() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        assertFalse(key.claimCheck(0, 1_000), "a key in rotation needs no check");
        key.recordOutcome(Outcome.REJECTED, "a", -1, "401 invalid key", 0, SETTINGS);
        assertTrue(key.claimCheck(1_000, 1_000));
        assertFalse(key.claimCheck(1_500, 1_000), "another node within the interval does not check again");
        key.checked(false, "401 from GET /models");
        assertTrue(key.disabled());
        assertTrue(key.claimCheck(2_000, 1_000));
        key.checked(true, "200 from GET /models");
        assertFalse(key.disabled());
        assertEquals("200 from GET /models", key.checkResult());
        assertTrue(key.exchange(want("a", 0, 5, 100, 0), 2_100, SETTINGS).probe(), "its first call is a probe");
    }

    @Test
    void shouldNeverCheckAKeyAnAdminTurnedOff() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        key.recordOutcome(Outcome.REJECTED, "a", -1, "401 invalid key", 0, SETTINGS);
        key.setDisabled(true, "disabled by an admin");
        assertFalse(key.claimCheck(10_000, 1_000));
        key.checked(true, "200 from GET /models");
        assertTrue(key.disabled(), "a check never overrides an admin");
    }

    @Test
    void shouldAllowOneProbeAfterACooldown() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        key.recordOutcome(Outcome.FAILED, "a", -1, "503", 0, SETTINGS);
        LeaseGrant probe = key.exchange(want("a", 0, 5, 100, 0), 1_500, SETTINGS);
        assertTrue(probe.probe());
        assertEquals(1, probe.requests());
        LeaseGrant other = key.exchange(want("b", 0, 5, 100, 0), 1_600, SETTINGS);
        assertEquals("probing", other.blocked());
        key.recordOutcome(Outcome.SUCCESS, "a", -1, null, 1_700, SETTINGS);
        LeaseGrant after = key.exchange(want("b", 0, 5, 100, 0), 1_800, SETTINGS);
        assertNull(after.blocked());
        assertTrue(after.requests() > 0);
    }

    @Test
    void shouldTellNodesRefusedDuringAProbeToAskAgainSoonNotAfterTheWholeProbeTimeout() {
        KeyState key = new KeyState("k", TEN_PER_SECOND, 0);
        key.recordOutcome(Outcome.RATE_LIMITED, "a", 1_000, "429", 0, SETTINGS);
        assertTrue(key.exchange(want("a", 0, 5, 100, 0), 1_000, SETTINGS).probe());
        LeaseGrant other = key.exchange(want("b", 0, 5, 100, 0), 1_010, SETTINGS);
        assertEquals("probing", other.blocked());
        assertEquals(SETTINGS.leaseMillis(), other.retryAfterMillis());
    }

    @Test
    void shouldStartALimitLearnedOnAKeyConfiguredUnlimitedFromWhatRemainsLessWhatNodesHold() {
        KeyState key = new KeyState("k", KeyLimits.UNLIMITED, 0);
        LeaseGrant a = key.exchange(want("a", 0, 4, 0, 0), 0, SETTINGS);
        assertEquals(4, a.requests());
        key.learn(10, 7, -1, -1, 0);
        assertEquals(10, key.requestLimit());
        assertEquals(3, (long) key.freeRequests(), "7 remain at the provider, 4 of them may be held by node a");
        LeaseGrant b = key.exchange(want("b", 0, 10, 0, 0), 0, SETTINGS);
        assertEquals(1, b.requests(), "a fair share of the 3 free between two holders, at least one");
    }

    /** Regression: the node that asked the owner first after each refill (the owner itself) got them all. */
    @Test
    void shouldKeepARefillForAWaitingNodeThatHadFewerCallsWhileTheKeyIsSaturated() {
        KeyState key = new KeyState("k", new KeyLimits(10, 0, 0, 1_000), 0);
        LeaseGrant a = key.exchange(want("a", 0, 10, 0, 0), 0, SETTINGS);
        assertEquals(10, a.requests(), "before anyone waits, a key is first come first served");
        LeaseGrant b = key.exchange(want("b", 0, 1, 0, 0), 10, SETTINGS);
        assertEquals("saturated", b.blocked());
        LeaseRequest spent = new LeaseRequest("a", a.epoch(), 10, 0, 0, 0, 10, 0, 1, 0, 1, 10, 0, 0);
        a = key.exchange(spent, 50, SETTINGS);
        assertEquals(0, a.requests(), "refill starts once the spending is reported");
        b = key.exchange(request("b", b.epoch()), 140, SETTINGS);
        assertEquals("saturated", b.blocked(), "b keeps asking");
        a = key.exchange(request("a", a.epoch()), 160, SETTINGS);
        assertEquals(1, a.requests(), "level while b waits: the first to ask gets the refill, one call of it");
        b = key.exchange(request("b", b.epoch()), 170, SETTINGS);
        assertEquals("saturated", b.blocked());
        a = key.exchange(request("a", a.epoch()), 260, SETTINGS);
        assertEquals("saturated", a.blocked(), "b has had one call less and is due back: the refill is b's");
        assertTrue(a.retryAfterMillis() > 0 && a.retryAfterMillis() <= 200, "after b's: " + a.retryAfterMillis());
        b = key.exchange(request("b", b.epoch()), 265, SETTINGS);
        assertEquals(1, b.requests());
        a = key.exchange(request("a", a.epoch()), 360, SETTINGS);
        assertEquals(1, a.requests(), "level again");
    }

    @Test
    void shouldGrantAsBeforeOnceNoNodeWaits() {
        KeyState key = new KeyState("k", new KeyLimits(10, 0, 0, 1_000), 0);
        LeaseGrant a = key.exchange(want("a", 0, 10, 0, 0), 0, SETTINGS);
        LeaseGrant b = key.exchange(want("b", 0, 1, 0, 0), 10, SETTINGS);
        assertEquals("saturated", b.blocked());
        // b stops asking; its wait runs out (its retry-after plus a lease period), and the pool is calm again.
        LeaseRequest spent = new LeaseRequest("a", a.epoch(), 10, 0, 0, 0, 10, 0, 1, 0, 1, 10, 0, 0);
        a = key.exchange(spent, 50, SETTINGS);
        a = key.exchange(request("a", a.epoch()), 900, SETTINGS);
        assertTrue(a.requests() > 1, "a whole fair share again, not one call at a time: " + a.requests());
    }

    private static LeaseRequest request(String node, long epoch) {
        return new LeaseRequest(node, epoch, 0, 0, 0, 0, 10, 0, 1, 0, 1, 0, 0, 0);
    }

    @Test
    void shouldLearnTighterLimitsFromHeaders() {
        KeyState key = new KeyState("k", new KeyLimits(100, 0, 0, 60_000), 0);
        key.learn(50, 3, -1, -1, 0);
        assertEquals(50, key.requestLimit());
        assertEquals(3, (long) key.freeRequests());
        key.learn(500, 400, -1, -1, 0);
        assertEquals(50, key.requestLimit(), "a looser limit is ignored");
        assertEquals(3, (long) key.freeRequests());
    }

    @Test
    void shouldSettleTokensToActualCharges() {
        KeyState key = new KeyState("k", new KeyLimits(0, 1_000, 0, 1_000), 0);
        LeaseGrant a = key.exchange(new LeaseRequest("a", 0, 0, 0, 0, 0, 1, 1_000, 600, 0, 1, 0, 0, 0), 0, SETTINGS);
        assertEquals(1_000, a.tokens());
        // The call was estimated at 600 and charged 100: 500 come back with the 400 never spent.
        key.exchange(new LeaseRequest("a", a.epoch(), 1, 100, 0, 900, 0, 0, 0, 0, 0, 1, 0, 5), 1, SETTINGS);
        assertEquals(900, Math.round(key.freeTokens()));
        assertEquals(100, key.tokensConsumed());
    }
}
