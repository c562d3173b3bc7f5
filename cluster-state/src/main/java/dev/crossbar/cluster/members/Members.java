package dev.crossbar.cluster.members;

import java.util.List;

/**
 * The cluster's members as this node sees them, and which of them proved they hold the cluster key. A
 * member that cannot prove it is not a Crossbar node of this cluster: it may read what the maps hold
 * (sealed or signed) and, as a partition owner, answer the ledger falsely.
 */
public interface Members {

    /** This node's member id (the node id in leases). */
    String localId();

    String clusterName();

    /** Every member, oldest first. */
    List<MemberView> list();

    /** The members that showed no valid proof of the cluster key; empty in a healthy cluster. */
    default List<MemberView> unproven() {
        return list().stream().filter(m -> !m.proven()).toList();
    }

    /** False once the member is shutting down or has stopped. */
    boolean running();

    /** Called (on a cluster thread) after a member joins or leaves. */
    void onChange(Runnable listener);
}
