package dev.crossbar.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.ledger.Outcome;
import org.junit.jupiter.api.Test;

class KeyUseTest {

    private static final long T0 = 1_000_000;

    @Test
    void shouldReadAFreshKeyAsActiveAndUnused() {
        KeyState s = new KeyState("k", new KeyLimits(600, 100_000, 10, 60_000), T0);
        assertEquals(KeyUse.State.ACTIVE, KeyUse.state(s, T0));
        assertEquals(0, KeyUse.requestsUsed(s, T0), 1e-9);
        assertEquals(0, KeyUse.tokensUsed(s, T0), 1e-9);
        assertEquals(0, KeyUse.utilisation(s, T0), 1e-9);
        assertEquals(-1, KeyUse.meanLatencyMillis(s), 1e-9);
    }

    @Test
    void shouldCoolDownAfterA429ThenProbeThenStayDisabledWhenAnAdminSaysSo() {
        KeyState s = new KeyState("k", new KeyLimits(600, 100_000, 0, 60_000), T0);
        s.recordOutcome(Outcome.RATE_LIMITED, "node-a", 30_000, "429 from openai", T0, LedgerSettings.DEFAULTS);
        assertEquals(KeyUse.State.COOLING_DOWN, KeyUse.state(s, T0 + 1));
        assertEquals(600, KeyUse.requestsUsed(s, T0), 1e-9, "a 429 empties the buckets");
        assertEquals(1.0, KeyUse.utilisation(s, T0), 1e-9);
        // Refill is projected: after half the window, half the requests are back.
        assertEquals(300, KeyUse.requestsUsed(s, T0 + 30_000), 1e-9);
        assertEquals(KeyUse.State.PROBING, KeyUse.state(s, T0 + 30_000));
        s.setDisabled(true, "revoked");
        assertEquals(KeyUse.State.DISABLED, KeyUse.state(s, T0 + 30_000));
        s.setDisabled(false, null);
        assertEquals(KeyUse.State.PROBING, KeyUse.state(s, T0 + 30_000));
    }

    @Test
    void shouldCountUnlimitedDimensionsAsUnused() {
        KeyState s = new KeyState("k", KeyLimits.UNLIMITED, T0);
        assertEquals(0, KeyUse.requestsUsed(s, T0), 1e-9);
        assertEquals(0, KeyUse.utilisation(s, T0), 1e-9);
    }
}
