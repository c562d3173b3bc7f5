package dev.crossbar.bench.load;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An HTTP/1.1 load generator on the Vert.x HTTP client: a fixed number of keep-alive connections,
 * one request at a time on each (no pipelining), latencies in HdrHistograms.
 *
 * <p><b>Open loop</b> ({@link LoadOptions.Mode#OPEN}): request {@code i} is scheduled at {@code start + i /
 * rate}. A pacer thread hands due requests to the connections' event loops; a request that finds every
 * connection busy waits in a queue, and its latency still counts from its scheduled time. A target that
 * stalls therefore shows the stall in every request scheduled during it, not in one (no coordinated
 * omission, as in wrk2). <b>Closed loop</b> ({@link LoadOptions.Mode#CLOSED}): each connection sends the
 * next request when the previous one is answered; that measures the most the target serves.
 *
 * <p>For integration tests, {@link #run(Vertx, LoadOptions, List, Observer)} drives several ports (nodes) at
 * once and reports each request's fate to an {@link Observer}: which request, which port, its outcome, when it
 * ended, whether the whole answer came ({@link LoadRequest#expect()}) and the response headers asked for
 * ({@link LoadOptions#answerHeaders()}). {@link #start(Vertx, LoadOptions, List, Observer)} does the same in
 * the background until {@linkplain Run#stop() stopped}: load that lasts while a test does something else.
 *
 * <p>Blocking: call {@link #run} off any event loop. Loopback targets only.
 */
public final class LoadGenerator {

    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(30);
    private static final long RECONNECT_DELAY_MS = 10;
    private static final int MAX_RECONNECTS = 10_000;
    /** How much of a failed answer's body an {@link Answer} keeps. */
    private static final int DETAIL_BYTES = 300;

    private final LoadOptions options;
    private final Observer observer;
    private final List<RequestOptions> requestOptions = new ArrayList<>();
    private final List<Buffer> bodies = new ArrayList<>();
    /** Per request, what its answer's body must hold to be complete; null where anything will do. */
    private final List<BodyMarker> expected = new ArrayList<>();

    private final List<Worker> workers = new ArrayList<>();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile long startNanos;
    private volatile long measureFrom;
    private volatile long measureTo;
    private volatile boolean stopping;
    /** When the offer ends early ({@link Run#stop()}); no request is due from then on. */
    private volatile long stopAt = Long.MAX_VALUE;

    private volatile Thread pacer;

    /** Told of every request's end on the event loop that sent it: keep it short and thread-safe. */
    @FunctionalInterface
    public interface Observer {
        void answered(Answer answer);
    }

    /**
     * One request's fate.
     *
     * @param port the target port it went to
     * @param request its index in {@link LoadOptions#requests()}, or -1 when it was never sent
     * @param outcome as in {@link LoadResult#outcomes()}: the status ({@code "200"}), {@code "timeout"},
     *     {@code "io"} or {@code "unsent"}
     * @param intendedNanos when it was due ({@link System#nanoTime()})
     * @param endNanos when its answer ended or it was given up
     * @param whileOffered it ended before the run stopped offering requests (what ends later drains a queue)
     * @param complete the answer ended normally and its body held what the request {@linkplain
     *     LoadRequest#expect() expects}
     * @param headers those of {@link LoadOptions#answerHeaders()} the response carried
     * @param detail why it failed: the error, or the start of a body whose status was not 2xx; else empty
     */
    public record Answer(
            int port,
            int request,
            String outcome,
            long intendedNanos,
            long endNanos,
            boolean whileOffered,
            boolean complete,
            Map<String, String> headers,
            String detail) {}

    private LoadGenerator(LoadOptions options, Observer observer) {
        this.options = options;
        this.observer = observer;
        for (LoadRequest r : options.requests()) {
            requestOptions.add(r.options(options.timeout().toMillis()));
            bodies.add(r.buffer());
            expected.add(r.expect().isEmpty() ? null : new BodyMarker(r.expect()));
        }
    }

    /** Runs on a Vert.x instance of its own with {@code options.eventLoops()} event loops. */
    public static LoadResult run(LoadOptions options) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops()));
        try {
            return run(vertx, options);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** Runs on the given Vert.x instance (its event loops are shared with whatever else it runs). */
    public static LoadResult run(Vertx vertx, LoadOptions options) throws Exception {
        return new LoadGenerator(options, null).execute(vertx);
    }

    /**
     * Runs {@code options} against each of {@code ports} at once (its rate and connections are per port) on
     * the given Vert.x instance, telling {@code observer} of every request; one result per port, in order.
     */
    public static List<LoadResult> run(Vertx vertx, LoadOptions options, List<Integer> ports, Observer observer)
            throws Exception {
        return start(vertx, options, ports, observer).await();
    }

    /**
     * As {@link #run(Vertx, LoadOptions, List, Observer)}, in the background: the run lasts until {@linkplain
     * Run#stop() stopped} or until its options end it.
     */
    public static Run start(Vertx vertx, LoadOptions options, List<Integer> ports, Observer observer) {
        StartLine startLine =
                new StartLine(ports.size(), options.mode() == LoadOptions.Mode.OPEN ? 1e9 / options.rate() : 0);
        List<LoadGenerator> generators = new ArrayList<>();
        for (int port : ports) {
            generators.add(new LoadGenerator(options.withPort(port), observer));
        }
        // A thread per port: each generator blocks while it paces, and they must all reach the start line.
        ExecutorService threads = Executors.newFixedThreadPool(ports.size());
        List<CompletableFuture<LoadResult>> runs = new ArrayList<>();
        for (int i = 0; i < generators.size(); i++) {
            LoadGenerator generator = generators.get(i);
            int place = i;
            runs.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return generator.execute(vertx, () -> startLine.await(place));
                        } catch (Exception e) {
                            startLine.abandon(); // the others stop waiting for this one
                            throw new CompletionException(e);
                        }
                    },
                    threads));
        }
        return new Run(generators, runs, threads);
    }

    /** A run under way in the background, one generator per port. */
    public static final class Run implements AutoCloseable {
        private final List<LoadGenerator> generators;
        private final List<CompletableFuture<LoadResult>> runs;
        private final ExecutorService threads;
        private volatile long offerEnded = Long.MIN_VALUE;

        private Run(List<LoadGenerator> generators, List<CompletableFuture<LoadResult>> runs, ExecutorService threads) {
            this.generators = generators;
            this.runs = runs;
            this.threads = threads;
        }

        /**
         * Ends the offer now (no request is due from now on), waits for the requests still out, up to the
         * timeout, and returns one result per port, in order.
         */
        public List<LoadResult> stop() throws Exception {
            endOffer();
            return await();
        }

        /**
         * Waits until the run ends as its options say (or as {@link #stop()} said); one result per port. If a
         * port fails or the wait is interrupted, the others stop offering too.
         */
        public List<LoadResult> await() throws Exception {
            try {
                List<LoadResult> results = new ArrayList<>();
                for (var r : runs) {
                    try {
                        results.add(r.get());
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
                        throw cause instanceof Exception failure ? failure : e;
                    }
                }
                return results;
            } catch (Exception e) {
                endOffer();
                throw e;
            } finally {
                threads.shutdown();
            }
        }

        private void endOffer() {
            for (LoadGenerator g : generators) {
                offerEnded = Math.max(offerEnded, g.stopOffering());
            }
        }

        /**
         * When {@link #stop()} ended the offer ({@link System#nanoTime()}; the last port's, when there are several):
         * no request is due at or after it. {@link Long#MIN_VALUE} before the stop.
         */
        public long offerEndedAt() {
            return offerEnded;
        }

        /** Stops the run if it still goes, its results unread. */
        @Override
        public void close() {
            try {
                stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // what went wrong was the caller's to read from stop() or await()
            }
        }
    }

    /**
     * The latest moment requests are due by now: the clock, or just before the stop. Read under the lock {@link
     * #stopOffering} takes, so a stop either comes after this reading of the clock or is seen by it: nothing due
     * after the stop is ever handed out.
     */
    private synchronized long dueUpTo() {
        return Math.min(System.nanoTime(), stopAt - 1);
    }

    /** Ends the offer now, once; returns when it ended. */
    private synchronized long stopOffering() {
        if (stopAt == Long.MAX_VALUE) {
            stopAt = System.nanoTime();
        }
        Thread p = pacer;
        if (p != null) {
            LockSupport.unpark(p);
        }
        return stopAt;
    }

    /** When requests stop being offered: at the end of the duration, or earlier when stopped. */
    private long offerEnd() {
        return Math.min(measureTo, stopAt);
    }

    /**
     * Where several generators start: together, once all are connected, each a fraction of a period after the
     * one before, so their requests interleave evenly as one stream of the summed rate would. (Started apart,
     * a node whose requests always came just after a shared limit refilled would win most refills.)
     */
    private static final class StartLine {
        private final CyclicBarrier barrier;
        private final double staggerNanos;
        private volatile long base;

        StartLine(int generators, double periodNanos) {
            this.barrier =
                    new CyclicBarrier(generators, () -> base = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5));
            this.staggerNanos = periodNanos / generators;
        }

        long await(int place) throws Exception {
            barrier.await(30, TimeUnit.SECONDS);
            return base + (long) (place * staggerNanos);
        }

        void abandon() {
            barrier.reset();
        }
    }

    /** When a generator starts, once it is connected. */
    @FunctionalInterface
    private interface StartTime {
        long nanos() throws Exception;
    }

    private LoadResult execute(Vertx vertx) throws Exception {
        return execute(vertx, () -> System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5));
    }

    private LoadResult execute(Vertx vertx, StartTime start) throws Exception {
        pacer = Thread.currentThread();
        List<Context> contexts = new CopyOnWriteArrayList<>();
        int loops = Math.min(options.eventLoops(), options.connections());
        String deployment = vertx.deployVerticle(
                        () -> new VerticleBase() {
                            @Override
                            public Future<?> start() {
                                contexts.add(context);
                                return Future.succeededFuture();
                            }
                        },
                        new DeploymentOptions().setInstances(loops))
                .await(10, TimeUnit.SECONDS);
        try {
            for (int k = 0; k < loops; k++) {
                int conns = options.connections() / loops + (k < options.connections() % loops ? 1 : 0);
                workers.add(new Worker(vertx, contexts.get(k), conns));
            }
            List<Future<Void>> connected = new ArrayList<>();
            for (Worker w : workers) {
                connected.add(onContext(w.ctx, w::connectAll));
            }
            Future.all(connected).await(30, TimeUnit.SECONDS);

            long warmupNanos = options.warmup().toNanos();
            long durationNanos = options.duration().toNanos();
            startNanos = start.nanos();
            measureFrom = startNanos + warmupNanos;
            measureTo = measureFrom + durationNanos;
            if (options.mode() == LoadOptions.Mode.OPEN) {
                pace();
            } else {
                for (Worker w : workers) {
                    w.ctx.runOnContext(v -> w.startClosedLoop());
                }
                long sleep = offerEnd() - System.nanoTime();
                while (sleep > 0 && issued.get() < options.maxRequests()) {
                    LockSupport.parkNanos(Math.min(sleep, TimeUnit.MILLISECONDS.toNanos(20)));
                    sleep = offerEnd() - System.nanoTime();
                }
            }
            stopping = true;
            drain();
            return merge();
        } finally {
            for (Worker w : workers) {
                try {
                    w.agent.close().await(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // closing anyway
                }
            }
            vertx.undeploy(deployment).await(10, TimeUnit.SECONDS);
        }
    }

    /** Open loop: hands each request to a worker at (or just after) its scheduled time. */
    private void pace() {
        double periodNanos = 1e9 / options.rate();
        long total = Math.min(options.maxRequests(), (long)
                Math.ceil((options.warmup().toNanos() + options.duration().toNanos()) / periodNanos));
        int k = workers.size();
        long[][] batch = new long[k][16];
        int[] sizes = new int[k];
        long next = 0;
        while (next < total) {
            // Once stopped, only what was due before the stop is handed out.
            long now = dueUpTo();
            long due = Math.min(total, now < startNanos ? 0 : (long) ((now - startNanos) / periodNanos) + 1);
            for (; next < due; next++) {
                int w = (int) (next % k);
                if (sizes[w] == batch[w].length) {
                    batch[w] = java.util.Arrays.copyOf(batch[w], batch[w].length * 2);
                }
                batch[w][sizes[w]++] = startNanos + (long) (next * periodNanos);
            }
            for (int w = 0; w < k; w++) {
                if (sizes[w] > 0) {
                    long[] times = java.util.Arrays.copyOf(batch[w], sizes[w]);
                    Worker worker = workers.get(w);
                    worker.ctx.runOnContext(v -> worker.schedule(times));
                    sizes[w] = 0;
                }
            }
            issued.set(next);
            if (next >= total || now >= stopAt - 1) {
                break; // all handed out, or all that was due before the stop
            }
            long wait = startNanos + (long) (next * periodNanos) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /** Waits for outstanding requests, up to the timeout; what is left is counted, with its latency so far. */
    private void drain() throws Exception {
        long deadline = System.nanoTime() + options.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            long outstanding = 0;
            for (Worker w : workers) {
                outstanding += onContext(w.ctx, () -> Future.succeededFuture(w.outstanding()))
                        .await(5, TimeUnit.SECONDS);
            }
            if (outstanding == 0 || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(5);
        }
        for (Worker w : workers) {
            onContext(w.ctx, () -> {
                        w.abandon();
                        return Future.succeededFuture();
                    })
                    .await(5, TimeUnit.SECONDS);
        }
    }

    private LoadResult merge() throws Exception {
        Histogram latency = histogram();
        Histogram service = histogram();
        Histogram firstByte = histogram();
        Histogram eventRate = histogram();
        Map<String, Long> outcomes = new HashMap<>();
        long completed = 0;
        long total = 0;
        long events = 0;
        long streams = 0;
        for (Worker w : workers) {
            // The workers are done; read their state on their own threads all the same.
            onContext(w.ctx, () -> Future.succeededFuture()).await(5, TimeUnit.SECONDS);
            latency.add(w.latency);
            service.add(w.service);
            firstByte.add(w.firstByte);
            eventRate.add(w.eventRate);
            w.outcomes.forEach((key, n) -> outcomes.merge(key, n, Long::sum));
            completed += w.completed;
            total += w.total;
            events += w.events;
            streams += w.streams;
        }
        return new LoadResult(
                options.mode(),
                options.rate(),
                options.connections(),
                Math.max(0, offerEnd() - measureFrom) / 1e9,
                completed,
                total,
                outcomes,
                latency,
                service,
                firstByte,
                events,
                streams,
                eventRate);
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    private static <T> Future<T> onContext(Context ctx, java.util.function.Supplier<Future<T>> action) {
        Promise<T> p = Promise.promise();
        ctx.runOnContext(v -> {
            try {
                action.get().onComplete(p);
            } catch (RuntimeException e) {
                p.fail(e);
            }
        });
        return p.future();
    }

    /** The connections of one event loop and everything they record; touched only on that event loop. */
    private final class Worker {
        final Context ctx;
        final HttpClientAgent agent;
        final int connections;
        final ArrayDeque<Conn> idle = new ArrayDeque<>();
        final LongQueue pending = new LongQueue();
        final Histogram latency = histogram();
        final Histogram service = histogram();
        final Histogram firstByte = histogram();
        final Histogram eventRate = histogram();
        final Map<String, Long> outcomes = new HashMap<>();
        final List<Exchange> inFlight = new ArrayList<>();
        long completed;
        long total;
        long events;
        long streams;
        int next;
        int live;

        Worker(Vertx vertx, Context ctx, int connections) {
            this.ctx = ctx;
            this.connections = connections;
            this.agent = vertx.createHttpClient(new HttpClientOptions()
                    .setKeepAlive(true)
                    .setPipelining(false)
                    .setTcpNoDelay(true)
                    .setDecompressionSupported(false)
                    .setConnectTimeout(5_000));
        }

        Future<Void> connectAll() {
            List<Future<Conn>> all = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                all.add(connect());
            }
            return Future.all(all).map(cf -> {
                for (int i = 0; i < all.size(); i++) {
                    idle.add(cf.resultAt(i));
                }
                return null;
            });
        }

        Future<Conn> connect() {
            return agent.connect(
                            new HttpConnectOptions().setHost(options.host()).setPort(options.port()))
                    .map(http -> {
                        Conn c = new Conn(http);
                        live++;
                        http.closeHandler(v -> closed(c));
                        return c;
                    });
        }

        void closed(Conn c) {
            c.closed = true;
            live--;
            idle.remove(c);
            reconnect();
        }

        /** A closed connection is replaced (after a short pause), so the count stays fixed; bounded in attempts. */
        private void reconnect() {
            if (stopping || reconnects.incrementAndGet() > MAX_RECONNECTS) {
                return;
            }
            ctx.owner()
                    .setTimer(
                            RECONNECT_DELAY_MS,
                            t -> connect().onComplete(ar -> {
                                if (ar.succeeded()) {
                                    release(ar.result());
                                } else {
                                    reconnect();
                                }
                            }));
        }

        long outstanding() {
            return (long) inFlight.size() + pending.size();
        }

        void schedule(long[] times) {
            for (long intended : times) {
                Conn c = takeIdle();
                if (c != null) {
                    send(c, intended);
                } else if (pending.size() < options.maxBacklog()) {
                    pending.add(intended);
                } else {
                    outcomes.merge("unsent", 1L, Long::sum);
                    tellUnsent(intended, System.nanoTime());
                }
            }
        }

        void startClosedLoop() {
            Conn c;
            while ((c = takeIdle()) != null) {
                if (!claim()) {
                    idle.add(c);
                    return;
                }
                send(c, System.nanoTime());
            }
        }

        private boolean claim() {
            if (System.nanoTime() >= offerEnd() || stopping) {
                return false;
            }
            if (issued.incrementAndGet() > options.maxRequests()) {
                return false;
            }
            return true;
        }

        Conn takeIdle() {
            Conn c;
            while ((c = idle.poll()) != null) {
                if (!c.closed) {
                    return c;
                }
            }
            return null;
        }

        void release(Conn c) {
            if (c.closed) {
                return;
            }
            if (options.mode() == LoadOptions.Mode.OPEN) {
                if (pending.size() > 0) {
                    send(c, pending.poll());
                    return;
                }
            } else if (claim()) {
                send(c, System.nanoTime());
                return;
            }
            idle.add(c);
        }

        void send(Conn c, long intended) {
            int i = next++ % requestOptions.size();
            Exchange x = new Exchange(this, c, i, expected.get(i), intended, System.nanoTime());
            inFlight.add(x);
            Buffer body = bodies.get(i);
            c.http.request(requestOptions.get(i)).onComplete(ar -> {
                if (ar.failed()) {
                    x.fail(ar.cause());
                    return;
                }
                ar.result().send(body).onComplete(sent -> {
                    if (sent.failed()) {
                        x.fail(sent.cause());
                    } else {
                        x.head(sent.result());
                    }
                });
            });
        }

        void finished(Exchange x, String outcome, long now) {
            inFlight.remove(x);
            total++;
            outcomes.merge(outcome, 1L, Long::sum);
            tell(x, outcome, now);
            long to = offerEnd();
            if (now >= measureFrom && now < to) {
                completed++;
            }
            boolean inWindow = options.mode() == LoadOptions.Mode.OPEN
                    ? x.intended >= measureFrom && x.intended < to
                    : now >= measureFrom && now < to;
            if (inWindow) {
                latency.recordValue(micros(now - x.intended));
                service.recordValue(micros(now - x.sent));
                if (x.firstByte > 0) {
                    firstByte.recordValue(micros(x.firstByte - x.intended));
                }
                if (x.events > 0) {
                    streams++;
                    events += x.events;
                    if (x.events > 1 && x.lastEvent > x.firstEvent) {
                        eventRate.recordValue(
                                Math.min(HIGHEST_MICROS, (long) ((x.events - 1) * 1e9 / (x.lastEvent - x.firstEvent))));
                    }
                }
            }
            release(x.conn);
        }

        private void tell(Exchange x, String outcome, long now) {
            if (observer != null) {
                observer.answered(new Answer(
                        options.port(),
                        x.request,
                        outcome,
                        x.intended,
                        now,
                        now < offerEnd(),
                        x.complete,
                        x.headers,
                        x.detail));
            }
        }

        private void tellUnsent(long intended, long now) {
            if (observer != null) {
                observer.answered(
                        new Answer(options.port(), -1, "unsent", intended, now, now < offerEnd(), false, Map.of(), ""));
            }
        }

        /** After the drain deadline: what never finished counts, with the time it had waited so far. */
        void abandon() {
            long now = System.nanoTime();
            for (Exchange x : new ArrayList<>(inFlight)) {
                x.done = true;
                x.detail = "no answer within " + options.timeout();
                inFlight.remove(x);
                outcomes.merge("timeout", 1L, Long::sum);
                tell(x, "timeout", now);
                total++;
                if (x.intended >= measureFrom && x.intended < measureTo) {
                    latency.recordValue(micros(now - x.intended));
                }
                if (x.conn.http != null) {
                    x.conn.http.close();
                }
            }
            while (pending.size() > 0) {
                long intended = pending.poll();
                outcomes.merge("unsent", 1L, Long::sum);
                tellUnsent(intended, now);
                if (intended >= measureFrom && intended < measureTo) {
                    latency.recordValue(micros(now - intended));
                }
            }
        }
    }

    private static long micros(long nanos) {
        return Math.max(0, Math.min(HIGHEST_MICROS, nanos / 1_000));
    }

    private static final class Conn {
        final HttpClientConnection http;
        boolean closed;

        Conn(HttpClientConnection http) {
            this.http = http;
        }
    }

    /** One request's way: its scheduled and actual send times, first byte, SSE events. */
    private final class Exchange {
        final Worker worker;
        final Conn conn;
        final int request;
        final BodyMarker expect;
        final long intended;
        final long sent;
        long firstByte;
        long firstEvent;
        long lastEvent;
        int events;
        boolean newline;
        int status;
        boolean done;
        int expectMatched;
        boolean complete;
        Map<String, String> headers = Map.of();
        Buffer errorBody;
        String detail = "";

        Exchange(Worker worker, Conn conn, int request, BodyMarker expect, long intended, long sent) {
            this.worker = worker;
            this.conn = conn;
            this.request = request;
            this.expect = expect;
            this.intended = intended;
            this.sent = sent;
        }

        void head(HttpClientResponse response) {
            status = response.statusCode();
            if (!options.answerHeaders().isEmpty()) {
                Map<String, String> kept = new HashMap<>();
                for (String name : options.answerHeaders()) {
                    String value = response.getHeader(name);
                    if (value != null) {
                        kept.put(name, value);
                    }
                }
                headers = Map.copyOf(kept);
            }
            if (observer != null && (status < 200 || status >= 300)) {
                errorBody = Buffer.buffer();
            }
            response.handler(this::data);
            response.exceptionHandler(this::fail);
            response.endHandler(v -> end());
        }

        void data(Buffer chunk) {
            long now = System.nanoTime();
            if (firstByte == 0) {
                firstByte = now;
            }
            if (expect != null && expectMatched < expect.length()) {
                expectMatched = expect.advance(expectMatched, chunk);
            }
            if (errorBody != null && errorBody.length() < DETAIL_BYTES) {
                errorBody.appendBuffer(chunk, 0, Math.min(chunk.length(), DETAIL_BYTES - errorBody.length()));
            }
            int before = events;
            events += countEvents(chunk);
            if (events > before) {
                if (firstEvent == 0) {
                    firstEvent = now;
                }
                lastEvent = now;
            }
        }

        /** SSE events end with a blank line ({@code \n\n} or {@code \r\n\r\n}). */
        private int countEvents(Buffer chunk) {
            int n = 0;
            for (int i = 0, len = chunk.length(); i < len; i++) {
                byte b = chunk.getByte(i);
                if (b == '\n') {
                    if (newline) {
                        n++;
                        newline = false;
                    } else {
                        newline = true;
                    }
                } else if (b != '\r') {
                    newline = false;
                }
            }
            return n;
        }

        void end() {
            if (!done) {
                done = true;
                complete = expect == null || expectMatched == expect.length();
                if (errorBody != null) {
                    detail = errorBody.toString(StandardCharsets.UTF_8);
                }
                worker.finished(this, Integer.toString(status), System.nanoTime());
            }
        }

        void fail(Throwable err) {
            if (!done) {
                done = true;
                detail = String.valueOf(err);
                String name = err.getClass().getSimpleName();
                worker.finished(this, name.contains("Timeout") ? "timeout" : "io", System.nanoTime());
            }
        }
    }

    /**
     * Finds a text in a body that comes in chunks, without keeping the body (Knuth-Morris-Pratt): the state
     * is how much of the text the bytes so far end with, or its whole length once it was found.
     */
    static final class BodyMarker {
        private final byte[] text;
        private final int[] fallback;

        BodyMarker(String text) {
            this.text = text.getBytes(StandardCharsets.UTF_8);
            this.fallback = new int[this.text.length];
            for (int i = 1, k = 0; i < this.text.length; i++) {
                while (k > 0 && this.text[i] != this.text[k]) {
                    k = fallback[k - 1];
                }
                if (this.text[i] == this.text[k]) {
                    k++;
                }
                fallback[i] = k;
            }
        }

        int advance(int matched, Buffer chunk) {
            int k = matched;
            for (int i = 0, n = chunk.length(); i < n && k < text.length; i++) {
                byte b = chunk.getByte(i);
                while (k > 0 && b != text[k]) {
                    k = fallback[k - 1];
                }
                if (b == text[k]) {
                    k++;
                }
            }
            return k;
        }

        int length() {
            return text.length;
        }
    }

    /** A growable ring of longs (scheduled times waiting for a connection), without boxing. */
    static final class LongQueue {
        private long[] items = new long[64];
        private int head;
        private int size;

        void add(long v) {
            if (size == items.length) {
                long[] bigger = new long[items.length * 2];
                for (int i = 0; i < size; i++) {
                    bigger[i] = items[(head + i) % items.length];
                }
                items = bigger;
                head = 0;
            }
            items[(head + size++) % items.length] = v;
        }

        long poll() {
            long v = items[head];
            head = (head + 1) % items.length;
            size--;
            return v;
        }

        int size() {
            return size;
        }
    }
}
