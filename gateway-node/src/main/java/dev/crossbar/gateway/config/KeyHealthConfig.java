package dev.crossbar.gateway.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * When a key leaves rotation for server errors, and whether keys the provider refused are checked again.
 *
 * @param failuresToCoolDown server errors (5xx, timeouts, unreachable) within {@code failureWindow} that cool a
 *     key down; 1 cools it down at every one
 * @param failureWindow      the window those errors are counted in, cluster-wide
 * @param checkInterval      how often a key the provider refused (401/403) is checked with one call to the
 *     provider's models list, by one node of the cluster; it comes back when the provider accepts it. Zero (the
 *     default) never checks: such a key waits for an admin
 */
public record KeyHealthConfig(Integer failuresToCoolDown, Duration failureWindow, Duration checkInterval) {

    // Not compact, so that a field left out (null) can be passed in for its default.
    public KeyHealthConfig(
            @Nullable Integer failuresToCoolDown, @Nullable Duration failureWindow, @Nullable Duration checkInterval) {
        failuresToCoolDown = failuresToCoolDown == null ? 3 : failuresToCoolDown;
        Check.positive("failuresToCoolDown", failuresToCoolDown);
        failureWindow = failureWindow == null ? Duration.ofSeconds(10) : failureWindow;
        Check.positive("failureWindow", failureWindow.toMillis());
        checkInterval = checkInterval == null ? Duration.ZERO : checkInterval;
        Check.notNegative("checkInterval", checkInterval.toMillis());
        this.failuresToCoolDown = failuresToCoolDown;
        this.failureWindow = failureWindow;
        this.checkInterval = checkInterval;
    }

    public static KeyHealthConfig defaults() {
        return new KeyHealthConfig(null, null, null);
    }

    /** True when keys the provider refused are checked on a schedule. */
    public boolean checks() {
        return !checkInterval.isZero();
    }
}
