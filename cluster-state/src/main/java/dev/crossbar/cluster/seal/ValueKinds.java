package dev.crossbar.cluster.seal;

/** The kinds of value in cluster state, as their envelopes name them. One byte each, never reused. */
public final class ValueKinds {

    public static final int KEY_STATE = 1;
    public static final int PROVIDER_KEY = 2;
    public static final int CLIENT_KEY = 3;
    public static final int MEMBER_STATS = 4;
    public static final int PRICE = 5;
    public static final int RESPONSE_STATE = 6;
    public static final int SPEND_STATE = 7;
    public static final int BUDGET = 8;

    private ValueKinds() {}
}
