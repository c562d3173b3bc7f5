package dev.crossbar.gateway.upstream;

import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.gateway.config.ProviderType;

/** Which codec speaks each client protocol and each provider type. */
public interface Codecs {

    ClientCodec client(Protocol protocol);

    UpstreamCodec upstream(ProviderType type);
}
