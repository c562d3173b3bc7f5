package dev.crossbar.bench;

import dev.crossbar.bench.load.LoadRequest;
import java.util.List;

/**
 * One path of the stream scenario: the mock called directly in one protocol, through nginx, or a client
 * protocol through one node to an upstream protocol.
 *
 * @param baseline the path whose first byte this one's is set against (the mock direct); null for a baseline
 * @param passThrough for a translated pair, the pass-through path of the same upstream protocol; else null
 */
record StreamRoute(String name, Bench.Target target, LoadRequest request, String baseline, String passThrough) {

    /** An upstream protocol at the mock: its client protocol's name, its label, and the models and key to use. */
    record Upstream(String protocol, String label, String mockModel, String mockKey, String nodeModel) {
        String direct() {
            return "mock direct, " + label;
        }
    }

    static final List<Upstream> UPSTREAMS = List.of(
            new Upstream("chat", "openai", "gpt-4o-mini", "sk-bench-openai", "bench-openai"),
            new Upstream("anthropic", "anthropic", "claude-sonnet-4-5", "sk-bench-anthropic", "bench-anthropic"),
            new Upstream("gemini", "gemini", "gemini-2.5-flash", "sk-bench-gemini", "bench-gemini"),
            new Upstream("responses", "responses", "gpt-4o-mini", "sk-bench-responses", "bench-responses"));

    /** Translated pairs measured: client protocol, upstream label. */
    static final List<String[]> TRANSLATED = List.of(
            new String[] {"chat", "anthropic"},
            new String[] {"chat", "gemini"},
            new String[] {"anthropic", "openai"},
            new String[] {"anthropic", "gemini"},
            new String[] {"gemini", "openai"},
            new String[] {"responses", "anthropic"},
            new String[] {"responses", "openai"});

    static Upstream upstream(String label) {
        return UPSTREAMS.stream()
                .filter(u -> u.label().equals(label))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no upstream " + label));
    }

    static StreamRoute direct(Upstream u, Bench.Target mock) {
        return new StreamRoute(
                u.direct(), mock, Bench.clientRequest(u.protocol(), u.mockModel(), u.mockKey(), true), null, null);
    }

    /** {@code u}'s stream through nginx as a reverse proxy (unbuffered) to the mock: what any hop adds. */
    static StreamRoute nginx(Upstream u, Bench.Target proxy) {
        return new StreamRoute(
                "nginx proxy, " + u.label(),
                proxy,
                Bench.clientRequest(u.protocol(), u.mockModel(), u.mockKey(), true),
                u.direct(),
                null);
    }

    /** {@code client} through the node to {@code u}; a translated pair names u's pass-through as its reference. */
    static StreamRoute through(String client, Upstream u, Bench.Target node) {
        return new StreamRoute(
                name(client, u.label()),
                node,
                Bench.clientRequest(client, u.nodeModel(), BenchStack.CLIENT_KEY, true),
                u.direct(),
                client.equals(u.protocol()) ? null : name(u.protocol(), u.label()));
    }

    private static String name(String client, String upstream) {
        return "Crossbar 1 node, " + client + " -> " + upstream;
    }
}
