package dev.crossbar.mock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of every {@link MockBucket}: one set of token buckets per bucket (per model for a per-model one) and
 * window, and the calls each refused for being over it. One lock for all: a call checks every bucket it draws
 * from and takes from all of them or none, as a provider's admission does.
 */
final class GroupBuckets {

    private final List<MockBucket> buckets;
    private final Map<String, WindowState[]> states = new HashMap<>();
    private final Map<String, Long> served = new LinkedHashMap<>();
    private final Map<String, Long> overLimit = new LinkedHashMap<>();

    /** One window of one bucket instance: its request, token, input and output buckets (null: unlimited). */
    private static final class WindowState {
        final MockBucket.Window window;
        TokenBucket requests;
        TokenBucket tokens;
        TokenBucket input;
        TokenBucket output;

        WindowState(MockBucket.Window window, long nowMicros) {
            this.window = window;
            fill(nowMicros);
        }

        LimitSnapshot snapshot(long now) {
            return new LimitSnapshot(
                    requests == null ? null : requests.limit(),
                    requests == null ? 0 : requests.available(now),
                    requests == null ? 0 : requests.microsUntilFull(now),
                    tokens == null ? null : tokens.limit(),
                    tokens == null ? 0 : tokens.available(now),
                    tokens == null ? 0 : tokens.microsUntilFull(now),
                    now);
        }

        void fill(long now) {
            long micros = window.window().toNanos() / 1000;
            requests = window.requests() == null ? null : new TokenBucket(window.requests(), micros, now);
            tokens = window.tokens() == null ? null : new TokenBucket(window.tokens(), micros, now);
            input = window.inputTokens() == null ? null : new TokenBucket(window.inputTokens(), micros, now);
            output = window.outputTokens() == null ? null : new TokenBucket(window.outputTokens(), micros, now);
        }
    }

    /** What one admitted call took from the buckets, to give back when its answer is an injected error. */
    record Taken(List<WindowState> windows, long total, long input, long output) {
        static final Taken NOTHING = new Taken(List.of(), 0, 0, 0);
    }

    /**
     * The levels a provider reports in its rate-limit headers for a call that drew from shared buckets: those of
     * the first bucket's first window (an organisation's limit per minute, as OpenAI's headers describe the
     * organisation's or project's limit, not the key's); null when the call drew from none.
     */
    synchronized LimitSnapshot limits(Taken taken, long nowMicros) {
        return taken.windows().isEmpty() ? null : taken.windows().get(0).snapshot(nowMicros);
    }

    /** Why a call was refused: the bucket instance's name, what ran out, and that window's levels. */
    record Refusal(String bucket, LimitCause cause, long retryAfterMicros, LimitSnapshot limits) {}

    GroupBuckets(List<MockBucket> buckets) {
        this.buckets = List.copyOf(buckets);
        for (MockBucket b : buckets) {
            if (!b.perModel()) {
                served.put(b.name(), 0L);
                overLimit.put(b.name(), 0L);
            }
        }
    }

    boolean isEmpty() {
        return buckets.isEmpty();
    }

    /**
     * Takes a call's cost from every bucket it draws from, or refuses it (and takes nothing).
     *
     * @return the refusal, or null when admitted ({@code taken} then holds what was taken)
     */
    synchronized Refusal admit(
            String secret, String model, long input, long output, long nowMicros, List<Taken> taken) {
        List<WindowState> drawn = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (MockBucket b : buckets) {
            if (!b.applies(secret, model)) {
                continue;
            }
            String name = b.perModel() ? b.name() + "/" + model : b.name();
            WindowState[] windows = states.computeIfAbsent(name, n -> windowsOf(b, nowMicros));
            for (WindowState w : windows) {
                long wait = 0;
                LimitCause cause = null;
                if (w.requests != null && w.requests.waitMicros(1, nowMicros) > 0) {
                    wait = w.requests.waitMicros(1, nowMicros);
                    cause = LimitCause.REQUESTS;
                } else if (w.tokens != null && w.tokens.waitMicros(input + output, nowMicros) > 0) {
                    wait = w.tokens.waitMicros(input + output, nowMicros);
                    cause = LimitCause.TOKENS;
                } else if (w.input != null && w.input.waitMicros(input, nowMicros) > 0) {
                    wait = w.input.waitMicros(input, nowMicros);
                    cause = LimitCause.TOKENS;
                } else if (w.output != null && w.output.waitMicros(output, nowMicros) > 0) {
                    wait = w.output.waitMicros(output, nowMicros);
                    cause = LimitCause.TOKENS;
                }
                if (cause != null) {
                    String label = name + "#" + w.window.window();
                    overLimit.merge(name, 1L, Long::sum);
                    overLimit.merge(label, 1L, Long::sum);
                    long micros = w.window.window().toNanos() / 1000;
                    return new Refusal(label, cause, wait == TokenBucket.NEVER ? micros : wait, w.snapshot(nowMicros));
                }
                drawn.add(w);
            }
            names.add(name);
        }
        for (WindowState w : drawn) {
            take(w.requests, 1);
            take(w.tokens, input + output);
            take(w.input, input);
            take(w.output, output);
        }
        for (String name : names) {
            served.merge(name, 1L, Long::sum);
        }
        taken.add(new Taken(drawn, input + output, input, output));
        return null;
    }

    private static WindowState[] windowsOf(MockBucket b, long now) {
        WindowState[] out = new WindowState[b.windows().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new WindowState(b.windows().get(i), now);
        }
        return out;
    }

    private static void take(TokenBucket bucket, long cost) {
        if (bucket != null) {
            bucket.take(cost);
        }
    }

    synchronized void refund(Taken taken) {
        for (WindowState w : taken.windows()) {
            if (w.requests != null) {
                w.requests.refund(1);
            }
            if (w.tokens != null) {
                w.tokens.refund(taken.total());
            }
            if (w.input != null) {
                w.input.refund(taken.input());
            }
            if (w.output != null) {
                w.output.refund(taken.output());
            }
        }
    }

    /** Calls each bucket instance (and each of its windows, as {@code name#window}) refused for being over it. */
    synchronized Map<String, Long> overLimit() {
        return Map.copyOf(overLimit);
    }

    /** Calls each bucket instance admitted. */
    synchronized Map<String, Long> served() {
        return Map.copyOf(served);
    }

    synchronized void reset(long nowMicros) {
        states.values().forEach(ws -> {
            for (WindowState w : ws) {
                w.fill(nowMicros);
            }
        });
        served.replaceAll((k, v) -> 0L);
        overLimit.clear();
    }
}
