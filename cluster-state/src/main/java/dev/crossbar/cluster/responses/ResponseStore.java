package dev.crossbar.cluster.responses;

import org.jspecify.annotations.Nullable;

/**
 * The Responses API state Crossbar keeps for providers that keep none: one record per response it produced,
 * readable only by the client key (its owner) that created it, for a limited time. Records are opaque bytes
 * to the store; values in the cluster are sealed under the cluster key with the id and owner as associated
 * data, so a record cannot be read under another id or by another owner.
 */
public interface ResponseStore {

    /** Stores the record; false when it is larger than one entry may be (it is then not kept). */
    boolean put(String id, String owner, byte[] record);

    /** The record, or null when it is absent, expired, deleted or not {@code owner}'s. */
    byte @Nullable [] get(String id, String owner);

    /** Deletes the record if {@code owner} may read it; true when it did. */
    boolean delete(String id, String owner);
}
