package dev.crossbar.cluster.members;

/**
 * A member of the cluster as this node sees it.
 *
 * @param address its member endpoint, {@code host:port}
 * @param local   this node's own member
 * @param proven  it showed proof that it holds the cluster key when it joined
 */
public record MemberView(String id, String address, boolean local, boolean proven) {}
