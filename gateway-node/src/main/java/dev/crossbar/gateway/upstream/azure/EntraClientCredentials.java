package dev.crossbar.gateway.upstream.azure;

import dev.crossbar.gateway.config.AzureConfig.EntraConfig;
import dev.crossbar.gateway.upstream.auth.AccessToken;
import dev.crossbar.gateway.upstream.auth.TokenEndpoint;
import dev.crossbar.gateway.upstream.auth.TokenSource;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/** Microsoft Entra ID's client credentials grant: the application's id and secret for a token of the scope. */
public final class EntraClientCredentials implements TokenSource {

    private final TokenEndpoint endpoint;
    private final EntraConfig entra;
    private final String clientSecret;

    public EntraClientCredentials(TokenEndpoint endpoint, EntraConfig entra, String clientSecret) {
        this.endpoint = endpoint;
        this.entra = entra;
        this.clientSecret = clientSecret;
    }

    @Override
    public Future<AccessToken> fetch() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", entra.clientId());
        form.put("client_secret", clientSecret);
        form.put("scope", entra.scope());
        return endpoint.exchange(form);
    }

    @Override
    public String toString() {
        return "EntraClientCredentials[" + entra.clientId() + " at " + endpoint.url() + "]";
    }
}
