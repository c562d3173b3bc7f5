package dev.crossbar.gateway.auth;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An authenticated caller. Carries no secret: only its name, the models it may use ("*" for all), the
 * ledger id its own limits are counted under (null when it has none) and its team (null when none).
 */
public record ClientKey(
        String name,
        List<String> models,
        @Nullable String ledgerId,
        @Nullable String team) {

    public boolean allows(String model) {
        return models.contains("*") || models.contains(model);
    }
}
