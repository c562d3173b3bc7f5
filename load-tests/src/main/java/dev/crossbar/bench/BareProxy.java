package dev.crossbar.bench;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * A reverse proxy on Vert.x with nothing of Crossbar in it: the floor of any gateway on this stack, measured
 * beside nginx and the node by {@code ./crossbar bench plain}. It runs as the node does (Netty's epoll transport,
 * {@code deploy/jvm.options}, one server and one pooled keep-alive client per event loop) and does only what
 * every proxy must: reads the request whole, sends it to the upstream with its content type and authorization,
 * reads the answer whole and writes it back with its status and content type. No parsing, no access log, no
 * metrics but the JVM's ({@code GET /metrics}, for the bench's heap-per-request figure).
 */
public final class BareProxy {

    private BareProxy() {}

    /** {@code BareProxy <port> <upstream port> <event loops>}; serves until killed. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        int loops = Integer.parseInt(args[2]);
        PrometheusMeterRegistry registry = jvmMetrics();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        vertx.deployVerticle(() -> new Loop(port, upstreamPort, registry), new DeploymentOptions().setInstances(loops))
                .await(30, TimeUnit.SECONDS);
        System.out.println("bare Vert.x proxy on 127.0.0.1:" + port + " -> 127.0.0.1:" + upstreamPort + ", "
                + (vertx.isNativeTransportEnabled() ? "epoll" : "NIO") + ", " + loops + " event loops");
    }

    /** The JVM's GC and memory meters, which the bench reads for the heap allocated per request. */
    static PrometheusMeterRegistry jvmMetrics() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmGcMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        return registry;
    }

    /** One event loop's server and client. */
    private static final class Loop extends VerticleBase {

        private final int port;
        private final int upstreamPort;
        private final PrometheusMeterRegistry registry;
        private HttpClient client;

        Loop(int port, int upstreamPort, PrometheusMeterRegistry registry) {
            this.port = port;
            this.upstreamPort = upstreamPort;
            this.registry = registry;
        }

        @Override
        public Future<?> start() {
            client = vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(64));
            return vertx.createHttpServer(new HttpServerOptions()
                            .setHost("127.0.0.1")
                            .setPort(port)
                            .setTcpNoDelay(true)
                            .setHttp2ClearTextEnabled(false))
                    .requestHandler(this::handle)
                    .listen();
        }

        private void handle(HttpServerRequest in) {
            if (HttpMethod.GET.equals(in.method()) && in.path().equals("/metrics")) {
                in.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(registry.scrape());
                return;
            }
            in.body()
                    .compose(body -> client.request(new RequestOptions()
                                    .setMethod(in.method())
                                    .setHost("127.0.0.1")
                                    .setPort(upstreamPort)
                                    .setURI(in.uri())
                                    .putHeader(HttpHeaders.CONTENT_TYPE, in.getHeader(HttpHeaders.CONTENT_TYPE))
                                    .putHeader(HttpHeaders.AUTHORIZATION, in.getHeader(HttpHeaders.AUTHORIZATION)))
                            .compose(out -> out.send(body)))
                    .compose(answer -> answer.body().map(body -> {
                        String type = answer.getHeader(HttpHeaders.CONTENT_TYPE);
                        in.response().setStatusCode(answer.statusCode());
                        if (type != null) {
                            in.response().putHeader(HttpHeaders.CONTENT_TYPE, type);
                        }
                        return body;
                    }))
                    .onSuccess(body -> in.response().end(body))
                    .onFailure(e -> in.response().setStatusCode(502).end());
        }
    }
}
