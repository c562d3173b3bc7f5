package dev.crossbar.gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The tokens and keys that are public knowledge: the demo's ({@code crossbar-admin}, {@code crossbar-demo})
 * and the placeholders of the deploy files ({@code replace-me-*}). Whoever reads the README can present
 * them, so a node meant for real traffic ({@code run}) must not accept them.
 */
public final class PlaceholderSecrets {

    private static final Set<String> KNOWN = Set.of("crossbar-admin", "crossbar-demo");
    private static final String PLACEHOLDER_PREFIX = "replace-me";

    private PlaceholderSecrets() {}

    /** The fields of {@code config} that hold a known token or key, named as in the YAML; empty when none. */
    public static List<String> found(GatewayConfig config) {
        List<String> fields = new ArrayList<>();
        if (known(config.admin().token())) {
            fields.add("admin.token");
        }
        for (int i = 0; i < config.clientKeys().size(); i++) {
            if (known(config.clientKeys().get(i).key())) {
                fields.add("clientKeys[" + i + "].key");
            }
        }
        for (int p = 0; p < config.providers().size(); p++) {
            List<ProviderKeyConfig> keys = config.providers().get(p).keys();
            for (int k = 0; k < keys.size(); k++) {
                if (known(keys.get(k).secret())) {
                    fields.add("providers[" + p + "].keys[" + k + "].secret");
                }
            }
        }
        return fields;
    }

    static boolean known(@Nullable String value) {
        if (value == null) {
            return false;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return KNOWN.contains(v) || v.startsWith(PLACEHOLDER_PREFIX);
    }
}
