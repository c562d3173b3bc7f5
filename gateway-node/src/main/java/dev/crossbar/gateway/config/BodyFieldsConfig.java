package dev.crossbar.gateway.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which top-level fields of a body forwarded unchanged (same protocol) a provider gets (issue 14 point 7): an
 * allow-list or a deny-list, and what happens to a field it refuses. A provider's list applies to every client;
 * a client key's narrows it further (a field goes only when both let it).
 *
 * @param allow  only these fields go (with {@code model}, {@code stream} and {@code stream_options}, which the
 *               gateway manages); null for a deny-list
 * @param deny   these fields do not go; null for an allow-list
 * @param action {@code drop} (the field is removed, the client hears it in {@code x-crossbar-dropped-fields}) or
 *               {@code refuse} (a 400 naming it); null in a client key's list means the provider's
 */
public record BodyFieldsConfig(
        @Nullable List<String> allow,
        @Nullable List<String> deny,
        @Nullable String action) {

    public static final String DROP = "drop";
    public static final String REFUSE = "refuse";

    /** What the gateway itself manages in a forwarded body: never denied, always allowed. */
    public static final Set<String> MANAGED = Set.of("model", "stream", "stream_options");

    /**
     * A provider's list when its config names none: what a client may not spend of a shared account without
     * the operator's word (docs/security.md, "What clients may send a provider"). {@code service_tier} buys
     * priority capacity at a higher price; {@code background} runs a response detached, kept by the provider
     * for whoever holds the account's key, and the gateway cannot relay its later retrieval.
     */
    public static final BodyFieldsConfig PROVIDER_DEFAULT =
            new BodyFieldsConfig(null, List.of("service_tier", "background"), DROP);

    public BodyFieldsConfig {
        if (allow != null && deny != null) {
            throw new IllegalArgumentException("bodyFields: give allow or deny, not both");
        }
        if (allow == null && deny == null) {
            throw new IllegalArgumentException("bodyFields: give allow or deny");
        }
        List<String> names = allow != null ? allow : Objects.requireNonNull(deny, "allow or deny is given");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String at = (allow != null ? "bodyFields.allow[" : "bodyFields.deny[") + i + "]";
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(at + " must be a field name");
            }
            if (deny != null && MANAGED.contains(name)) {
                throw new IllegalArgumentException(
                        at + ": '" + name + "' is managed by the gateway and cannot be denied");
            }
        }
        allow = allow == null ? null : List.copyOf(allow);
        deny = deny == null ? null : List.copyOf(deny);
        if (action != null && !action.equals(DROP) && !action.equals(REFUSE)) {
            throw new IllegalArgumentException("bodyFields.action must be drop or refuse, was '" + action + "'");
        }
    }

    /** True when {@code field} may go. */
    public boolean allows(String field) {
        if (MANAGED.contains(field)) {
            return true;
        }
        return allow != null
                ? allow.contains(field)
                : !Objects.requireNonNull(deny, "allow or deny is given").contains(field);
    }
}
