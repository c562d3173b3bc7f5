package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.json.TopLevelScan;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.gateway.config.BodyFieldsConfig;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.routing.Target;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What a client may send a provider in a body forwarded unchanged (issue 14 point 7): each provider's allow- or
 * deny-list of top-level fields, narrowed by the client key's own (a field goes only when both let it). A
 * refused field is dropped (named in {@value #HEADER} and the access log) or refused with a 400 naming it, as
 * the policy says; a dropped {@code store} is sent as {@code false}, since leaving it out means the provider's
 * default, which is to store (Responses). The one place a same-protocol body may change beyond its model; a
 * translated body carries only what the canonical model holds. Immutable, shared by a node's event loops.
 */
public final class FieldPolicy {

    /** Names the fields a forwarded body went without, because the provider's or client key's policy refused them. */
    public static final String HEADER = "x-crossbar-dropped-fields";

    /** Every field goes through. */
    public static final FieldPolicy ALLOW_ALL = new FieldPolicy(Map.of(), Map.of());

    private static final String STORE = "store";

    /** The body to forward, and the fields it went without (comma-separated, as in the header) or null. */
    @SuppressWarnings("ArrayRecordComponent") // a body on its way out, never compared or printed
    record Applied(byte[] body, @Nullable String dropped) {}

    private final Map<String, BodyFieldsConfig> providers;
    private final Map<String, BodyFieldsConfig> clientKeys;

    private FieldPolicy(Map<String, BodyFieldsConfig> providers, Map<String, BodyFieldsConfig> clientKeys) {
        this.providers = Map.copyOf(providers);
        this.clientKeys = Map.copyOf(clientKeys);
    }

    /** The configured providers' lists, and those of the configured client keys that narrow them. */
    public static FieldPolicy of(GatewayConfig config) {
        return new FieldPolicy(
                config.providers().stream().collect(Collectors.toMap(ProviderConfig::id, ProviderConfig::bodyFields)),
                config.clientKeys().stream()
                        .filter(k -> k.bodyFields() != null)
                        .collect(Collectors.toMap(ClientKeyConfig::name, ClientKeyConfig::bodyFields, (a, b) -> b)));
    }

    /**
     * The body {@code call} sends {@code target}: its own bytes when every field may go.
     *
     * @throws CodecException a 400 naming the first refused field, when the policy refuses rather than drops
     */
    Applied apply(Call call, Target target) {
        BodyFieldsConfig provider = providers.get(target.upstream().id());
        BodyFieldsConfig client = clientKeys.get(call.clientKey().name());
        if (provider == null && client == null) {
            return new Applied(call.body(), null);
        }
        Set<String> refused = null;
        for (String field : call.fields()) {
            if ((provider != null && !provider.allows(field)) || (client != null && !client.allows(field))) {
                if (refused == null) {
                    refused = new LinkedHashSet<>();
                }
                refused.add(field);
            }
        }
        if (refused == null) {
            return new Applied(call.body(), null);
        }
        String first = refused.iterator().next();
        if (BodyFieldsConfig.REFUSE.equals(action(provider, client))) {
            throw CodecException.invalid(
                    first,
                    "'" + first + "' may not be sent to the provider of model '"
                            + call.route().name() + "' through this gateway (its field policy refuses it); remove it");
        }
        byte[] body = TopLevelScan.withoutMembers(call.body(), refused);
        if (refused.contains(STORE)) {
            byte[] forced = TopLevelScan.withMemberAdded(body, "\"" + STORE + "\":false");
            body = forced != null ? forced : body;
        }
        return new Applied(body, BuiltinTools.dropped(List.copyOf(refused), name -> name));
    }

    /** The client key's action when it names one, else the provider's. */
    private static @Nullable String action(@Nullable BodyFieldsConfig provider, @Nullable BodyFieldsConfig client) {
        if (client != null && client.action() != null) {
            return client.action();
        }
        return provider != null ? provider.action() : BodyFieldsConfig.DROP;
    }
}
