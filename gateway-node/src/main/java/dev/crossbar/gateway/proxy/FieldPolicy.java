package dev.crossbar.gateway.proxy;

import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.routing.Target;

/**
 * What a client may send a provider in a body forwarded unchanged (issue 14 point 7 fills it in: per provider
 * an allow-list or deny-list of body fields, narrowed per client key). The one place a same-protocol body may
 * be changed beyond its model; a translated body carries only what the canonical model holds.
 */
@FunctionalInterface
public interface FieldPolicy {

    /** Every field goes through. */
    FieldPolicy ALLOW_ALL = (body, target, client) -> body;

    /**
     * The body to forward to {@code target}: {@code body} itself when nothing changes.
     *
     * @throws dev.crossbar.codecs.model.CodecException to refuse the request, naming the field
     */
    byte[] apply(byte[] body, Target target, ClientKey client);
}
