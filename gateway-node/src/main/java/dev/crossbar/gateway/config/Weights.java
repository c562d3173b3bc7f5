package dev.crossbar.gateway.config;

/** The bounds of a fair-share weight. */
final class Weights {

    static final int MAX = 1_000;

    private Weights() {}

    static void check(String field, int weight) {
        if (weight < 1 || weight > MAX) {
            throw new IllegalArgumentException(field + " must be 1 to " + MAX + ", was " + weight);
        }
    }
}
