package dev.crossbar.gateway.usage;

import dev.crossbar.codecs.model.Usage;
import dev.crossbar.gateway.proxy.RequestObserver;
import dev.crossbar.gateway.proxy.RequestRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one usage record per finished request: the request's thread only puts it in the {@link UsageBuffer};
 * this verticle, deployed on a worker, writes the buffer to PostgreSQL in batches every interval (at once
 * again while a full batch waits). A batch that fails goes back to the buffer and is tried again at the next
 * interval, so records outlive a database outage up to the buffer's bound. Stopping writes what is left.
 */
final class UsageWriter extends VerticleBase implements RequestObserver {

    private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);

    static final String INSERT = "INSERT INTO usage_records (at, request_id, node, client_key, team, model, provider,"
            + " key_id, protocol, stream, status, outcome, input_tokens, cache_read_tokens, cache_write_tokens,"
            + " cache_write_1h_tokens, output_tokens, reasoning_tokens, cost_usd, cost_estimated, priced, latency_ms)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,"
            + " $21, $22) ON CONFLICT ON CONSTRAINT usage_records_once DO NOTHING";

    private final Pool pool;
    private final BooleanSupplier schemaReady;
    private final UsageBuffer buffer;
    private final String node;
    private final int batchSize;
    private final long intervalMillis;
    private final Clock clock;
    private boolean writing;
    private boolean failing;
    private long timer = -1;

    UsageWriter(
            Pool pool,
            BooleanSupplier schemaReady,
            UsageBuffer buffer,
            String node,
            int batchSize,
            long intervalMillis,
            Clock clock) {
        this.pool = pool;
        this.schemaReady = schemaReady;
        this.buffer = buffer;
        this.node = node;
        this.batchSize = batchSize;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
    }

    @Override
    public void completed(RequestRecord record) {
        buffer.add(UsageRecord.of(record, node, clock.instant()));
    }

    @Override
    public Future<?> start() {
        timer = vertx.setPeriodic(intervalMillis, id -> writeWhatWaits());
        return Future.succeededFuture();
    }

    /** Writes every buffered record, unless the database fails meanwhile (the graceful shutdown's flush). */
    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        Promise<Void> flushed = Promise.promise();
        flush(flushed);
        return flushed.future().onSuccess(v -> {
            if (buffer.size() > 0) {
                LOG.warn("usage database: {} records could not be written before the node stopped", buffer.size());
            }
        });
    }

    private void flush(Promise<Void> flushed) {
        if (writing) {
            vertx.setTimer(10, id -> flush(flushed));
            return;
        }
        List<UsageRecord> batch = buffer.take(batchSize);
        if (batch.isEmpty() || !schemaReady.getAsBoolean()) {
            buffer.putBack(batch);
            flushed.complete();
            return;
        }
        write(batch).onComplete(ar -> {
            if (ar.failed()) {
                flushed.complete();
            } else {
                flush(flushed);
            }
        });
    }

    private void writeWhatWaits() {
        if (writing || buffer.size() == 0 || !schemaReady.getAsBoolean()) {
            return;
        }
        List<UsageRecord> batch = buffer.take(batchSize);
        write(batch).onSuccess(v -> {
            if (buffer.size() >= batchSize) {
                writeWhatWaits();
            }
        });
    }

    private Future<Void> write(List<UsageRecord> batch) {
        writing = true;
        List<Tuple> rows = new ArrayList<>(batch.size());
        for (UsageRecord r : batch) {
            rows.add(row(r));
        }
        return pool.preparedQuery(INSERT).executeBatch(rows).<Void>mapEmpty().onComplete(ar -> {
            writing = false;
            if (ar.succeeded()) {
                buffer.written(batch.size());
                if (failing) {
                    failing = false;
                    LOG.info("usage database: writing again ({} records wait)", buffer.size());
                }
            } else {
                buffer.putBack(batch);
                if (!failing) {
                    failing = true;
                    LOG.warn(
                            "usage database: cannot write, records wait in the buffer (up to its bound) and"
                                    + " are tried again: {}",
                            ar.cause().toString());
                }
            }
        });
    }

    private static Tuple row(UsageRecord r) {
        Usage u = r.usage();
        return Tuple.tuple()
                .addValue(r.at().atOffset(ZoneOffset.UTC))
                .addValue(r.requestId())
                .addValue(r.node())
                .addValue(r.clientKey())
                .addValue(r.team())
                .addValue(r.model())
                .addValue(r.provider())
                .addValue(r.keyId())
                .addValue(r.protocol())
                .addValue(r.stream())
                .addValue((short) r.status())
                .addValue(r.outcome() == null ? "" : r.outcome())
                .addValue(u.inputTokens())
                .addValue(u.cacheReadTokens())
                .addValue(u.cacheWriteTokens())
                .addValue(u.cacheWrite1hTokens())
                .addValue(u.outputTokens())
                .addValue(u.reasoningTokens())
                .addValue(r.costUsd() == null ? null : Numeric.create(r.costUsd()))
                .addValue(r.costEstimated())
                .addValue(r.priced())
                .addValue(r.latencyMs());
    }
}
