package dev.crossbar.codecs.gemini;

import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.testkit.CodecGoldenContract;

class GeminiGoldenTest extends CodecGoldenContract {

    @Override
    protected String protocolDir() {
        return "gemini";
    }

    @Override
    protected ClientCodec client() {
        return new GeminiClientCodec();
    }

    @Override
    protected UpstreamCodec upstream() {
        return new GeminiUpstreamCodec();
    }
}
