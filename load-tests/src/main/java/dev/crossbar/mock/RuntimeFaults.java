package dev.crossbar.mock;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The fault plans in force, changeable while the mock runs: one global schedule, per-key
 * schedules that replace it for their key, the revoked keys and the keys out of credit. Replacing a plan restarts its
 * schedule's count. Readers see an immutable snapshot, so no request takes a lock to read it.
 */
final class RuntimeFaults {

    private record Snapshot(
            FaultSchedule global, Map<String, FaultSchedule> perKey, Set<String> revoked, Set<String> noCredit) {}

    private volatile Snapshot snapshot;
    private final Set<String> echoKeys;

    RuntimeFaults(
            FaultPlan global,
            Map<String, FaultPlan> perKey,
            Set<String> revoked,
            Set<String> noCredit,
            Set<String> echoKeys) {
        snapshot =
                new Snapshot(new FaultSchedule(global), schedules(perKey), Set.copyOf(revoked), Set.copyOf(noCredit));
        this.echoKeys = Set.copyOf(echoKeys);
    }

    /** True for a key whose errors quote it back ({@code echoKeys}). */
    boolean echoesKey(String secret) {
        return echoKeys.contains(secret);
    }

    FaultSchedule scheduleFor(String secret) {
        Snapshot s = snapshot;
        FaultSchedule own = s.perKey.get(secret);
        return own != null ? own : s.global;
    }

    boolean isRevoked(String secret) {
        return snapshot.revoked.contains(secret);
    }

    boolean isOutOfCredit(String secret) {
        return snapshot.noCredit.contains(secret);
    }

    synchronized void setGlobal(FaultPlan plan) {
        Snapshot s = snapshot;
        snapshot = new Snapshot(new FaultSchedule(plan), s.perKey, s.revoked, s.noCredit);
    }

    /** Sets the plan of one key; a null plan puts the key back on the global plan. */
    synchronized void setForKey(String secret, FaultPlan plan) {
        Snapshot s = snapshot;
        Map<String, FaultSchedule> perKey = new HashMap<>(s.perKey);
        if (plan == null) {
            perKey.remove(secret);
        } else {
            perKey.put(secret, new FaultSchedule(plan));
        }
        snapshot = new Snapshot(s.global, Map.copyOf(perKey), s.revoked, s.noCredit);
    }

    synchronized void setRevoked(Set<String> revoked) {
        Snapshot s = snapshot;
        snapshot = new Snapshot(s.global, s.perKey, Set.copyOf(revoked), s.noCredit);
    }

    synchronized void setNoCredit(Set<String> noCredit) {
        Snapshot s = snapshot;
        snapshot = new Snapshot(s.global, s.perKey, s.revoked, Set.copyOf(noCredit));
    }

    /** Restarts every schedule's count, keeping the plans. */
    synchronized void restart() {
        Snapshot s = snapshot;
        snapshot = new Snapshot(new FaultSchedule(s.global.plan()), schedules(plans(s.perKey)), s.revoked, s.noCredit);
    }

    FaultPlan globalPlan() {
        return snapshot.global.plan();
    }

    Map<String, FaultPlan> keyPlans() {
        return plans(snapshot.perKey);
    }

    Set<String> revoked() {
        return new LinkedHashSet<>(snapshot.revoked);
    }

    Set<String> noCredit() {
        return new LinkedHashSet<>(snapshot.noCredit);
    }

    private static Map<String, FaultSchedule> schedules(Map<String, FaultPlan> plans) {
        Map<String, FaultSchedule> out = new HashMap<>();
        plans.forEach((k, v) -> out.put(k, new FaultSchedule(v)));
        return Map.copyOf(out);
    }

    private static Map<String, FaultPlan> plans(Map<String, FaultSchedule> schedules) {
        Map<String, FaultPlan> out = new LinkedHashMap<>();
        schedules.forEach((k, v) -> out.put(k, v.plan()));
        return out;
    }
}
