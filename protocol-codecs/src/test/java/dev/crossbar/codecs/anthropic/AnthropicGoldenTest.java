package dev.crossbar.codecs.anthropic;

import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.testkit.CodecGoldenContract;

class AnthropicGoldenTest extends CodecGoldenContract {

    @Override
    protected String protocolDir() {
        return "anthropic";
    }

    @Override
    protected ClientCodec client() {
        return new AnthropicClientCodec();
    }

    @Override
    protected UpstreamCodec upstream() {
        return new AnthropicUpstreamCodec();
    }
}
