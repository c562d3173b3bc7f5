package dev.crossbar.gateway.upstream.bedrock;

import dev.crossbar.gateway.config.BedrockConfig;
import dev.crossbar.gateway.upstream.Addressing;

/** Bedrock names the model in the path the Converse codec writes: the routes' model becomes its Bedrock id. */
public final class BedrockAddressing implements Addressing {

    private final BedrockConfig config;

    public BedrockAddressing(BedrockConfig config) {
        this.config = config;
    }

    @Override
    public String model(String upstreamModel) {
        return config.models().getOrDefault(upstreamModel, upstreamModel);
    }
}
