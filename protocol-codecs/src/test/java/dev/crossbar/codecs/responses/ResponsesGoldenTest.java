package dev.crossbar.codecs.responses;

import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.testkit.CodecGoldenContract;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The shared golden contract for the Responses API, as a client protocol and as an upstream (golden/responses). */
class ResponsesGoldenTest extends CodecGoldenContract {

    private static final long NOW = 1_700_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    @Override
    protected String protocolDir() {
        return "responses";
    }

    @Override
    protected ClientCodec client() {
        return new OpenAiResponsesClientCodec(CLOCK);
    }

    @Override
    protected UpstreamCodec upstream() {
        return new OpenAiResponsesUpstreamCodec(CLOCK);
    }

    @Override
    protected ClientStreamEncoder clientStreamEncoder(ChatRequest request) {
        return new ResponsesStreamEncoder(request, NOW, "resp_fallback");
    }
}
