package dev.crossbar.gateway.upstream.auth;

import io.vertx.core.Future;

/** Fetches a new bearer token for one credential from its token endpoint; {@link CachedToken} keeps it. */
@FunctionalInterface
public interface TokenSource {

    /** A fresh token, or a {@link CredentialException} saying whether the credential itself was refused. */
    Future<AccessToken> fetch();
}
