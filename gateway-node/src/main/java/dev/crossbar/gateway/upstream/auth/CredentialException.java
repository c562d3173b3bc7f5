package dev.crossbar.gateway.upstream.auth;

/**
 * No access token could be had for a key. The message names the endpoint and the OAuth error code, never a
 * secret or a token.
 */
public final class CredentialException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean refused;

    public CredentialException(String message, boolean refused) {
        super(message, null, false, false);
        this.refused = refused;
    }

    /** True when the token endpoint refused the credential itself (wrong secret, unknown client, bad signature). */
    public boolean refused() {
        return refused;
    }
}
