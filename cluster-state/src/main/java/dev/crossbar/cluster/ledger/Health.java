package dev.crossbar.cluster.ledger;

import org.jspecify.annotations.Nullable;

/**
 * Whether a key may be used: cooldowns after failures and rate limits, the single probe call that ends a
 * cooldown, the disabled flag (refused by the provider, or by an admin), and the scheduled check that brings
 * back a key the provider refused once it accepts the key again. Mutable; lives inside {@link KeyState}.
 */
final class Health {

    long cooldownUntil;

    @Nullable
    String cooldownReason;

    int failureStreak;
    boolean probePending;

    @Nullable
    String probeNode;

    long probeUntil;
    boolean disabled;

    @Nullable
    String disabledReason;
    /** Disabled because the provider refused the key (not by an admin): a scheduled check may bring it back. */
    boolean refusedByProvider;
    /** Server errors counted in the current window, which began at {@link #failureWindowStart}. */
    int windowFailures;

    long failureWindowStart;
    /** When a node last claimed the scheduled check of a refused key, and what the last check found. */
    long checkedAt;

    @Nullable
    String checkResult;

    Health() {}

    Health(Health other) {
        cooldownUntil = other.cooldownUntil;
        cooldownReason = other.cooldownReason;
        failureStreak = other.failureStreak;
        probePending = other.probePending;
        probeNode = other.probeNode;
        probeUntil = other.probeUntil;
        disabled = other.disabled;
        disabledReason = other.disabledReason;
        refusedByProvider = other.refusedByProvider;
        windowFailures = other.windowFailures;
        failureWindowStart = other.failureWindowStart;
        checkedAt = other.checkedAt;
        checkResult = other.checkResult;
    }

    boolean blockedAt(long now) {
        return disabled || now < cooldownUntil;
    }

    /** Why {@code nodeId} may not use the key now, or null. */
    @Nullable
    String blockedReason(String nodeId, long now) {
        if (disabled) {
            return "disabled";
        }
        if (now < cooldownUntil) {
            return "cooling down";
        }
        if (probePending && probeNode != null && now < probeUntil && !probeNode.equals(nodeId)) {
            return "probing";
        }
        return null;
    }

    long blockedRetryAfter(long now, LedgerSettings settings) {
        if (disabled) {
            return Long.MAX_VALUE;
        }
        if (now < cooldownUntil) {
            return cooldownUntil - now;
        }
        // A probe usually answers in well under a second; its timeout is only the bound for one that never
        // does. Ask again soon rather than sit out the whole timeout.
        return Math.max(1, Math.min(probeUntil - now, settings.leaseMillis()));
    }

    /** True when this grant is the one probe after a cooldown: it goes to {@code nodeId}. */
    boolean startProbe(String nodeId, long now, LedgerSettings settings) {
        boolean probe = probePending && now >= cooldownUntil;
        if (probe) {
            probeNode = nodeId;
            probeUntil = now + settings.probeTimeoutMillis();
        }
        return probe;
    }

    void forgetProbe(String nodeId) {
        if (nodeId.equals(probeNode)) {
            probeNode = null;
        }
    }

    /**
     * Records how a call ended. A later deadline never gives way to a sooner one.
     *
     * @param retryAfterMillis the provider's stated delay, or a negative number when it stated none
     */
    void record(
            Outcome outcome,
            String nodeId,
            long retryAfterMillis,
            @Nullable String reason,
            long now,
            LedgerSettings settings) {
        switch (outcome) {
            case SUCCESS -> {
                failureStreak = 0;
                probePending = false;
                probeNode = null;
            }
            case RATE_LIMITED -> {
                long delay = retryAfterMillis > 0 ? retryAfterMillis : settings.rateLimitCooldownMillis();
                coolDown(now + delay, reason);
            }
            case REJECTED -> {
                disabled = true;
                disabledReason = reason;
                refusedByProvider = true;
            }
            case OUT_OF_CREDIT ->
                // Out of rotation for long, not for good: an account can be topped up, and then the probe
                // after this cooldown brings the key back without an admin.
                coolDown(now + Math.max(settings.creditCooldownMillis(), retryAfterMillis), reason);
            case FAILED -> failed(retryAfterMillis, reason, now, settings);
            case NEUTRAL -> forgetProbe(nodeId);
        }
    }

    /**
     * A server error cools the key down only when it is the {@link LedgerSettings#failuresToCoolDown}th within
     * the failure window, when the provider said when to come back, or when the key has not served since its
     * last cooldown (its probe failed): one stray 500 does not take a key out of rotation. The cooldown doubles
     * with each failure in a row beyond the threshold.
     */
    private void failed(long retryAfterMillis, @Nullable String reason, long now, LedgerSettings settings) {
        failureStreak++;
        if (now - failureWindowStart >= settings.failureWindowMillis()) {
            failureWindowStart = now;
            windowFailures = 0;
        }
        windowFailures++;
        if (windowFailures < settings.failuresToCoolDown() && retryAfterMillis <= 0 && !probePending) {
            return;
        }
        windowFailures = 0;
        int doublings = Math.min(Math.max(0, failureStreak - settings.failuresToCoolDown()), 30);
        long backoff = Math.min(settings.backoffMaxMillis(), settings.backoffBaseMillis() << doublings);
        coolDown(now + Math.max(backoff, retryAfterMillis), reason);
    }

    /**
     * Claims the scheduled check of a key the provider refused, for {@code nodeId}: true when the key is still
     * out of rotation for that reason and no node claimed a check in the last {@code intervalMillis}.
     */
    boolean claimCheck(long now, long intervalMillis) {
        if (!disabled || !refusedByProvider || now - checkedAt < intervalMillis) {
            return false;
        }
        checkedAt = now;
        return true;
    }

    /** What a scheduled check found: an accepted key comes back, with the probe of its first real call. */
    void checked(boolean accepted, String result) {
        checkResult = result;
        if (accepted && disabled && refusedByProvider) {
            setDisabled(false, null);
        }
    }

    private void coolDown(long until, @Nullable String reason) {
        if (until > cooldownUntil) {
            cooldownUntil = until;
            cooldownReason = reason;
        }
        probePending = true;
        probeNode = null;
    }

    void setDisabled(boolean disable, @Nullable String reason) {
        disabled = disable;
        disabledReason = disable ? reason : null;
        refusedByProvider = false;
        if (!disable) {
            windowFailures = 0;
            failureStreak = 0;
            cooldownUntil = 0;
            cooldownReason = null;
            probePending = true;
            probeNode = null;
        }
    }

    /** The later cooldown, the longer streak, a probe if either side wanted one, disabled if either side was. */
    void mergeFrom(Health other) {
        if (other.cooldownUntil > cooldownUntil) {
            cooldownUntil = other.cooldownUntil;
            cooldownReason = other.cooldownReason;
        }
        failureStreak = Math.max(failureStreak, other.failureStreak);
        probePending = probePending || other.probePending;
        if (other.disabled && !disabled) {
            disabled = true;
            disabledReason = other.disabledReason;
            refusedByProvider = other.refusedByProvider;
        }
        if (other.failureWindowStart > failureWindowStart) {
            failureWindowStart = other.failureWindowStart;
            windowFailures = other.windowFailures;
        } else if (other.failureWindowStart == failureWindowStart) {
            windowFailures = Math.max(windowFailures, other.windowFailures);
        }
        if (other.checkedAt > checkedAt) {
            checkedAt = other.checkedAt;
            checkResult = other.checkResult;
        }
    }
}
