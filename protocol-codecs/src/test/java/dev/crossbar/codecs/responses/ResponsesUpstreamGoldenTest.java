package dev.crossbar.codecs.responses;

import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.testkit.CodecGoldenContract;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The shared golden contract for the Responses API as an upstream protocol (golden/responses, singular
 * folders); the client side's older vectors, in the plural folders, run in {@link ResponsesGoldenTest}.
 */
class ResponsesUpstreamGoldenTest extends CodecGoldenContract {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

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
}
