package dev.crossbar.gateway.metrics;

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

/**
 * Vert.x's Micrometer metrics with the HTTP client measured per connection only. Vert.x records every
 * upstream call in four meters it looks up by tags on each request and response; that was about 6% of
 * the event loops' time in the gateway's profile (docs/benchmarks.md), and Crossbar's own metrics
 * already count every upstream call by provider and outcome ({@code crossbar_upstream_*},
 * {@code crossbar_retries_total}). Connection gauges and byte counters ({@code vertx_http_client_*}) stay.
 */
final class ConnectionLevelClientMetrics implements VertxMetricsFactory {

    private final VertxMetricsFactory delegate;

    ConnectionLevelClientMetrics(VertxMetricsFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public VertxMetrics metrics(VertxOptions options) {
        return new Lean(delegate.metrics(options));
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

        Lean(VertxMetrics d) {
            this.d = d;
        }

        @Override
        public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
            HttpClientMetrics<?, ?, ?> m = d.createHttpClientMetrics(options);
            return m == null ? null : new PerConnection<>(m);
        }

        @Override
        public EventBusMetrics<?> createEventBusMetrics() {
            return d.createEventBusMetrics();
        }

        @Override
        public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
            return d.createHttpServerMetrics(options, localAddress);
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

        @Override
        public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
            return d.createPoolMetrics(poolType, poolName, maxPoolSize);
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
