package dev.crossbar.gateway.upstream;

import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.gateway.config.ProviderConfig;

/** Which codec speaks each client protocol and each provider type. */
public interface Codecs {

    ClientCodec client(Protocol protocol);

    /** The codec for a provider: by its type, or the Responses codec when it is spoken to in that API. */
    UpstreamCodec upstream(ProviderConfig provider);
}
