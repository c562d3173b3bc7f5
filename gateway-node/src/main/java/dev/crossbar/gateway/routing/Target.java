package dev.crossbar.gateway.routing;

import dev.crossbar.gateway.upstream.Upstream;

/** A provider and the model name it knows: one place a request can be served. */
public record Target(Upstream upstream, String model) {}
