package dev.crossbar.gateway.upstream.bedrock;

import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.auth.CredentialException;
import io.vertx.core.Future;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Where the AWS credential that signs a key's requests comes from. */
interface AwsCredentialSource {

    /** The key's credential, completing on the caller's context; a {@link CredentialException} when none is had. */
    Future<AwsCredentialsIdentity> credentials(ProviderKey key);
}
