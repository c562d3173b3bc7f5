package dev.crossbar.gateway.usage;

import dev.crossbar.gateway.config.DatabaseConfig;
import dev.crossbar.gateway.proxy.RequestObserver;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage database of a node: applies the schema's migrations (again later while the database cannot be
 * reached), writes every request's record through a {@link UsageWriter} and answers {@link UsageQueries}.
 * Nothing here is on the request path but the buffer's add.
 */
public final class UsageDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(UsageDatabase.class);
    private static final long MIGRATE_RETRY_MILLIS = 5_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Vertx vertx;
    private final DatabaseConfig config;
    private final Pool pool;
    private final UsageBuffer buffer;
    private final UsageWriter writer;
    private final UsageQueries queries;
    private volatile boolean migrated;
    private volatile boolean closed;
    private @Nullable String deployment;

    private UsageDatabase(Vertx vertx, DatabaseConfig config, String node) {
        this.vertx = vertx;
        this.config = config;
        PgConnectOptions connect = PgConnectOptions.fromUri(config.url());
        if (config.user() != null) {
            connect.setUser(config.user());
        }
        if (config.password() != null) {
            connect.setPassword(config.password());
        }
        this.pool = PgBuilder.pool()
                .with(new PoolOptions()
                        .setMaxSize(4)
                        .setConnectionTimeout(CONNECT_TIMEOUT_MILLIS)
                        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
                .connectingTo(connect)
                .using(vertx)
                .build();
        this.buffer = new UsageBuffer(config.buffer());
        this.writer = new UsageWriter(
                pool,
                () -> migrated,
                buffer,
                node,
                config.batch(),
                config.interval().toMillis(),
                Clock.systemUTC());
        this.queries = new UsageQueries(pool);
    }

    /**
     * Starts writing {@code node}'s records. Completes once the schema is migrated or the first try failed: a
     * database that is away does not keep the node from serving (its records wait in the buffer).
     */
    public static Future<UsageDatabase> start(Vertx vertx, DatabaseConfig config, String node, MeterRegistry metrics) {
        UsageDatabase db = new UsageDatabase(vertx, config, node);
        db.bind(metrics);
        return vertx.deployVerticle(db.writer, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .compose(id -> {
                    db.deployment = id;
                    return db.migrate();
                })
                .map(db);
    }

    private Future<Void> migrate() {
        return vertx.executeBlocking(() -> {
                    String seconds = String.valueOf(CONNECT_TIMEOUT_MILLIS / 1000);
                    Map<String, String> jdbc = Map.of("connectTimeout", seconds, "loginTimeout", seconds);
                    Flyway.configure(UsageDatabase.class.getClassLoader())
                            .dataSource(config.jdbcUrl(), config.user(), config.password())
                            .jdbcProperties(jdbc)
                            .locations("classpath:db/usage")
                            .table("crossbar_schema_history")
                            .load()
                            .migrate();
                    return null;
                })
                .<Void>mapEmpty()
                .onSuccess(v -> {
                    migrated = true;
                    LOG.info("usage database: records go to {}", config.url());
                })
                .recover(err -> {
                    LOG.warn(
                            "usage database {} not ready ({}); records wait in the buffer, tried again in {} s",
                            config.url(),
                            rootMessage(err),
                            MIGRATE_RETRY_MILLIS / 1000);
                    vertx.setTimer(MIGRATE_RETRY_MILLIS, id -> {
                        if (!closed) {
                            migrate();
                        }
                    });
                    return Future.succeededFuture();
                });
    }

    private static String rootMessage(Throwable err) {
        Throwable t = err;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    private void bind(MeterRegistry registry) {
        Gauge.builder("crossbar_usage_records_buffered", buffer, UsageBuffer::size)
                .description("Usage records waiting to be written to the database")
                .register(registry);
        FunctionCounter.builder("crossbar_usage_records_dropped", buffer, UsageBuffer::dropped)
                .description("Usage records lost because the buffer was full while the database could not take them")
                .register(registry);
        FunctionCounter.builder("crossbar_usage_records_written", buffer, UsageBuffer::writtenTotal)
                .description("Usage records written to the database")
                .register(registry);
    }

    /** Told about every finished request: puts its record in the buffer. */
    public RequestObserver recorder() {
        return writer;
    }

    /** Sums of the records, and the spend since a moment for budgets. */
    public UsageQueries queries() {
        return queries;
    }

    /** The buffer's state now, for the admin API and the dashboard's warning. */
    public Status status() {
        return new Status(migrated, buffer.size(), config.buffer(), buffer.dropped(), buffer.writtenTotal());
    }

    /**
     * How the writer stands.
     *
     * @param ready    the schema is in place (the database was reached since the node started)
     * @param buffered records waiting to be written
     * @param dropped  records lost since the node started, the buffer being full
     */
    public record Status(boolean ready, int buffered, int capacity, long dropped, long written) {}

    /** Writes what the buffer holds (as far as the database takes it), then closes the connections. */
    public Future<Void> close() {
        closed = true;
        Future<Void> flushed = deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
        return flushed.otherwise(err -> {
                    LOG.warn("usage database: flushing failed: {}", err.toString());
                    return null;
                })
                .compose(v -> pool.close());
    }
}
