package dev.crossbar.gateway.keys;

import dev.crossbar.cluster.lease.Permit;

/** A call's permit on a shared bucket's entry, settled with the call in that entry's token part. */
public record SharedPermit(BucketEntry entry, Permit permit) {}
