package dev.crossbar.gateway.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.anthropic.AnthropicClientCodec;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.spi.ClientCodec;

/**
 * Anthropic's token counter: the request is checked as the provider would, forwarded to an Anthropic
 * target when the model has one, and otherwise answered with Crossbar's own estimate.
 */
final class CountTokens {

    private CountTokens() {}

    static ChatRequest validate(ClientCodec anthropic, ObjectNode body) {
        ChatRequest counted = ((AnthropicClientCodec) anthropic).decodeCountTokensRequest(body);
        if (counted.messages().isEmpty()) {
            throw CodecException.invalid("messages", "'messages' must hold at least one message");
        }
        return counted;
    }

    /** Characters / 4: the estimate the key pool charges by, for models no Anthropic provider serves. */
    static byte[] estimate(ClientCodec anthropic, ChatRequest counted) {
        return ((AnthropicClientCodec) anthropic).encodeCountTokens((counted.promptCharacters() + 3) / 4);
    }
}
