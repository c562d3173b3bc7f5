package dev.crossbar.gateway.upstream.bedrock;

import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.auth.CredentialException;
import io.vertx.core.Future;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * A key whose secret is an AWS credential ({@link ProviderKeyConfig#awsSecret}); a key without a secret signs
 * with the standard chain's credential.
 */
final class KeyCredentials implements AwsCredentialSource {

    private final AwsCredentialSource chain;

    KeyCredentials(AwsCredentialSource chain) {
        this.chain = chain;
    }

    @Override
    public Future<AwsCredentialsIdentity> credentials(ProviderKey key) {
        if (key.secret() == null) {
            return chain.credentials(key);
        }
        try {
            return Future.succeededFuture(parse(key.secret(), key.id()));
        } catch (CredentialException e) {
            return Future.failedFuture(e);
        }
    }

    /** Reads {@code accessKeyId:secretAccessKey[:sessionToken]}; the complaint names the key, never the secret. */
    static AwsCredentialsIdentity parse(String secret, String keyId) {
        String[] parts = secret.split(String.valueOf(ProviderKeyConfig.AWS_SEPARATOR), -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new CredentialException(
                    "key " + keyId + " is not an AWS credential (accessKeyId:secretAccessKey[:sessionToken])", true);
        }
        return parts.length == 3 && !parts[2].isEmpty()
                ? AwsSessionCredentialsIdentity.create(parts[0], parts[1], parts[2])
                : AwsCredentialsIdentity.create(parts[0], parts[1]);
    }
}
