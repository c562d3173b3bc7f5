package dev.crossbar.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Vert.x's Micrometer metrics with HTTP measured per connection, not per request. Vert.x records every
 * upstream call in four meters and every served request in five, each looked up by tags on every
 * request and response: about 6% and 7% of the event loops' time in the gateway's profiles
 * (docs/benchmarks.md). Crossbar's own metrics already count every call by protocol, provider, model
 * and outcome ({@code crossbar_requests_total}, {@code crossbar_upstream_*}); what stays from Vert.x is
 * connection gauges and byte counters ({@code vertx_http_client_*}, {@code vertx_http_server_*}), the worker
 * pools' {@code vertx_pool_*} (not the upstream connection pools': they would time every call's lease), and
 * every response the node sends is counted by status code in {@code crossbar_http_responses_total},
 * from counters created once per code.
 */
final class ConnectionLevelHttpMetrics implements VertxMetricsFactory {

    /** Vert.x's pool type for an HTTP client's connection pool. */
    private static final String HTTP_CLIENT_POOL = "http";

    private final VertxMetricsFactory delegate;
    private final MeterRegistry registry;

    ConnectionLevelHttpMetrics(VertxMetricsFactory delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public VertxMetrics metrics(VertxOptions options) {
        return new Lean(delegate.metrics(options), new ResponseCounters(registry));
    }

    @Override
    public MetricsOptions newOptions() {
        return delegate.newOptions();
    }

    @Override
    public MetricsOptions newOptions(MetricsOptions options) {
        return delegate.newOptions(options);
    }

    @Override
    public MetricsOptions newOptions(JsonObject json) {
        return delegate.newOptions(json);
    }

    private static final class Lean implements VertxMetrics {
        private final VertxMetrics d;
        private final ResponseCounters responses;

        Lean(VertxMetrics d, ResponseCounters responses) {
            this.d = d;
            this.responses = responses;
        }

        @Override
        public @Nullable HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
            HttpClientMetrics<?, ?, ?> m = d.createHttpClientMetrics(options);
            return m == null ? null : new PerConnection<>(m);
        }

        @Override
        public EventBusMetrics<?> createEventBusMetrics() {
            return d.createEventBusMetrics();
        }

        @Override
        public @Nullable HttpServerMetrics<?, ?, ?> createHttpServerMetrics(
                HttpServerOptions options, SocketAddress localAddress) {
            HttpServerMetrics<?, ?, ?> m = d.createHttpServerMetrics(options, localAddress);
            return m == null ? null : new ServedPerConnection<>(m, responses);
        }

        @Override
        public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
            return d.createClientMetrics(remoteAddress, type, namespace);
        }

        @Override
        public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
            return d.createNetServerMetrics(options, localAddress);
        }

        @Override
        public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
            return d.createNetClientMetrics(options);
        }

        @Override
        public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
            return d.createDatagramSocketMetrics(options);
        }

        /**
         * Worker pools keep their metrics. An HTTP client's connection pool would time every upstream call's
         * connection lease (two meters and a future per call); the upstream calls are timed in Crossbar's own.
         */
        @Override
        public @Nullable PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
            return HTTP_CLIENT_POOL.equals(poolType) ? null : d.createPoolMetrics(poolType, poolName, maxPoolSize);
        }

        @Override
        public void vertxCreated(io.vertx.core.Vertx vertx) {
            d.vertxCreated(vertx);
        }

        @Override
        public boolean isMetricsEnabled() {
            return d.isMetricsEnabled();
        }

        @Override
        public void close() {
            d.close();
        }
    }

    /** Responses by status code, one counter per code, created on first use. */
    private static final class ResponseCounters {
        private final MeterRegistry registry;
        private final AtomicReferenceArray<Counter> byCode = new AtomicReferenceArray<>(600);

        ResponseCounters(MeterRegistry registry) {
            this.registry = registry;
        }

        void count(int code) {
            if (code < 0 || code >= byCode.length()) {
                return;
            }
            Counter counter = byCode.get(code);
            if (counter == null) {
                counter = Counter.builder("crossbar.http.responses")
                        .description("Responses this node sent, every route included, by status code")
                        .tag("code", Integer.toString(code))
                        .register(registry);
                byCode.set(code, counter);
            }
            counter.increment();
        }
    }

    /** Served connections and bytes go to Vert.x's meters; each response is counted by its code. */
    private static final class ServedPerConnection<S> implements HttpServerMetrics<Object, Object, S> {
        private static final Object REQUEST = new Object();
        private final HttpServerMetrics<?, ?, S> d;
        private final ResponseCounters responses;

        ServedPerConnection(HttpServerMetrics<?, ?, S> d, ResponseCounters responses) {
            this.d = d;
            this.responses = responses;
        }

        @Override
        public Object requestBegin(S socketMetric, HttpRequest request) {
            return REQUEST;
        }

        @Override
        public void responseEnd(Object requestMetric, HttpResponse response, long bytesWritten) {
            responses.count(response.statusCode());
        }

        @Override
        public S connected(SocketAddress remoteAddress, String remoteName) {
            return d.connected(remoteAddress, remoteName);
        }

        @Override
        public void disconnected(S socketMetric, SocketAddress remoteAddress) {
            d.disconnected(socketMetric, remoteAddress);
        }

        @Override
        public void bytesRead(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            d.bytesRead(socketMetric, remoteAddress, numberOfBytes);
        }

        @Override
        public void bytesWritten(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            d.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
        }

        @Override
        public void exceptionOccurred(S socketMetric, SocketAddress remoteAddress, Throwable t) {
            d.exceptionOccurred(socketMetric, remoteAddress, t);
        }

        @Override
        public void close() {
            d.close();
        }
    }

    /**
     * Connections and bytes go to Vert.x's meters; no per-request endpoint metrics. An HTTP/2 connection
     * negotiated through ALPN reaches these methods with no connection metric (seen with Vert.x 5.0.7),
     * and Micrometer's meters throw on it in the middle of an answer; those bytes go uncounted.
     */
    private static final class PerConnection<S> implements HttpClientMetrics<Object, Object, S> {
        private final HttpClientMetrics<?, ?, S> d;

        PerConnection(HttpClientMetrics<?, ?, S> d) {
            this.d = d;
        }

        @Override
        public S connected(SocketAddress remoteAddress, String remoteName) {
            return d.connected(remoteAddress, remoteName);
        }

        @Override
        public void disconnected(S socketMetric, SocketAddress remoteAddress) {
            if (socketMetric != null) {
                d.disconnected(socketMetric, remoteAddress);
            }
        }

        @Override
        public void bytesRead(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            if (socketMetric != null) {
                d.bytesRead(socketMetric, remoteAddress, numberOfBytes);
            }
        }

        @Override
        public void bytesWritten(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            if (socketMetric != null) {
                d.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
            }
        }

        @Override
        public void exceptionOccurred(S socketMetric, SocketAddress remoteAddress, Throwable t) {
            if (socketMetric != null) {
                d.exceptionOccurred(socketMetric, remoteAddress, t);
            }
        }

        @Override
        public void close() {
            d.close();
        }
    }
}
