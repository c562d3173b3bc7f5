package dev.crossbar.gateway.config;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@code bedrock} provider's models live. Each key is an AWS credential: {@code accessKeyId} and
 * {@code secretAccessKey} (and {@code sessionToken} for temporary ones); a key without them, or a provider without
 * keys, takes the standard AWS chain (environment, system properties, profile, web identity, container, instance).
 *
 * @param region the AWS region whose runtime endpoint serves the calls, e.g. us-east-1
 * @param models the Bedrock model id (or inference profile id or ARN) serving each upstream model the routes name;
 *               a model not listed is its own id
 */
public record BedrockConfig(String region, Map<String, String> models) {

    // Not compact, so that a field left out (null) can be passed in for its default.
    public BedrockConfig(String region, @Nullable Map<String, String> models) {
        Check.required("region", region);
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
            throw new IllegalArgumentException("region must be an AWS region such as us-east-1, was '" + region + "'");
        }
        models = models == null ? Map.of() : Map.copyOf(models);
        models.forEach((model, id) -> Check.required("models." + model, id));
        this.region = region;
        this.models = models;
    }

    /** The regional runtime endpoint. */
    public String defaultBaseUrl() {
        return "https://bedrock-runtime." + region + ".amazonaws.com";
    }
}
