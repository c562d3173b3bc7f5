package dev.crossbar.gateway.auth;

import dev.crossbar.gateway.config.ClientKeyConfig;

/**
 * An authenticated caller. Carries no secret: only its name, what it may use, and the ledger id its own
 * limits are counted under (null when it has none).
 */
public record ClientKey(String name, ClientKeyConfig config, String ledgerId) {

    public boolean allows(String model) {
        return config.allows(model);
    }
}
