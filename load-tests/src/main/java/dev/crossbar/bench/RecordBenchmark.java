package dev.crossbar.bench;

import dev.crossbar.codecs.model.Usage;
import dev.crossbar.gateway.metrics.RequestMetrics;
import dev.crossbar.gateway.pricing.Cost;
import dev.crossbar.gateway.proxy.RequestRecord;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording a finished request in the node's metrics costs ({@link RequestMetrics#completed}: the counters,
 * timers and spend of one priced plain request), on the registry the node uses. The meters are shared, as a node's
 * event loops share them: {@code -t 2} runs two threads on them, as two loops do. Run after {@code mvn -B -q -pl
 * load-tests -am package -DskipTests}, from the repository root:
 * <pre>
 * java -cp "load-tests/target/classes:load-tests/target/lib/*" org.openjdk.jmh.Main RecordBenchmark -t 2 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordBenchmark {

    private RequestMetrics metrics;
    private RequestRecord record;

    @Setup
    public void setUp() {
        metrics = new RequestMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        record = new RequestRecord(
                "req_1a2b3c",
                "openai-chat",
                "bench",
                "team-a",
                "bench-fast",
                "fast",
                "fast-1",
                "sk-...fast",
                200,
                "success",
                1,
                false,
                Usage.of(3, 3),
                310_000,
                190_000,
                150_000,
                0,
                null,
                null,
                new Cost.Known(new BigDecimal("0.000002250"), false));
    }

    @Benchmark
    public void metrics() {
        metrics.completed(record);
    }
}
