package dev.crossbar.gateway.upstream.bedrock;

import dev.crossbar.gateway.upstream.ProviderAuth;
import dev.crossbar.gateway.upstream.ProviderKey;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs each request with AWS Signature Version 4 by the AWS SDK's own signer, for service {@code bedrock} in the
 * provider's region, over the headers Crossbar sends and the body. The host is left to Vert.x, which writes it as
 * the signer computes it (host, and the port when not the scheme's default).
 */
public final class SigV4Auth implements ProviderAuth {

    static final String SERVICE = "bedrock";
    /** What ConverseStream answers in; the SDK asks for it the same way. */
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final String region;
    private final AwsCredentialSource credentials;
    private final Clock clock;

    SigV4Auth(String region, AwsCredentialSource credentials, Clock clock) {
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
    }

    @Override
    public Future<RequestOptions> authenticate(RequestOptions options, ProviderKey key, byte[] body) {
        return credentials.credentials(key).map(identity -> sign(options, body, identity));
    }

    private RequestOptions sign(RequestOptions options, byte[] body, AwsCredentialsIdentity identity) {
        if (options.getHeaders().contains(HttpHeaders.ACCEPT)) {
            options.putHeader(HttpHeaders.ACCEPT, EVENT_STREAM);
        }
        URI uri = URI.create(options.getURI());
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .protocol(Boolean.TRUE.equals(options.isSsl()) ? "https" : "http")
                .host(options.getHost())
                .port(options.getPort())
                .encodedPath(uri.getRawPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                request.appendRawQueryParameter(
                        eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? null : pair.substring(eq + 1));
            }
        }
        options.getHeaders().forEach(h -> request.appendHeader(h.getKey(), h.getValue()));
        SignedRequest signed = signer.sign(r -> r.identity(identity)
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("host")) {
                options.putHeader(h.getKey(), String.join(",", h.getValue()));
            }
        }
        return options;
    }

    /** Checks a configured key's secret is an AWS credential; the complaint names the key, never the secret. */
    public static void parse(String secret, String keyId) {
        KeyCredentials.parse(secret, keyId);
    }

    /** The signing for a provider: each key's own credential, or the chain's for a key without one. */
    public static SigV4Auth of(
            String region,
            io.vertx.core.Vertx vertx,
            software.amazon.awssdk.identity.spi.IdentityProvider<? extends AwsCredentialsIdentity> chain,
            Clock clock) {
        return new SigV4Auth(region, new KeyCredentials(new ChainCredentials(vertx, chain, clock)), clock);
    }
}
