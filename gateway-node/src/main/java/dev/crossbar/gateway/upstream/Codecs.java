package dev.crossbar.gateway.upstream;

import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.gateway.config.ProviderConfig;
import java.util.List;

/** Which codec speaks each client protocol and each provider type. */
public interface Codecs {

    /** The client protocols the gateway serves, the one whose error shape stray paths get first. */
    List<ClientCodec> clients();

    /** The codec for a provider: by its type, or the Responses codec when it is spoken to in that API. */
    UpstreamCodec upstream(ProviderConfig provider);
}
