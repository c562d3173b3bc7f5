package dev.crossbar.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.crossbar.cluster.members.MemberStats;
import dev.crossbar.cluster.members.MemberStatsBoard;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.metrics.RequestMetrics;
import dev.crossbar.gateway.proxy.Traffic;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MemberStatsPublisherTest {

    /** A board that notes, for each record published, whether it was published on an event loop. */
    private static final class RecordingBoard implements MemberStatsBoard {
        final List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
        final Promise<List<Boolean>> threeSeen = Promise.promise();

        @Override
        public CompletionStage<Void> publish(MemberStats stats) {
            onEventLoop.add(Context.isOnEventLoopThread());
            if (onEventLoop.size() == 3) {
                threeSeen.complete(List.copyOf(onEventLoop));
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<MemberStats> read(String memberId) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Regression: the periodic publish ran on an event loop, where Hazelcast prepares its write (about 0.6 ms a
     * second that the loop's connections waited for).
     */
    @Test
    void shouldPublishEachPeriodOffTheEventLoops(Vertx vertx, VertxTestContext ctx) {
        RecordingBoard board = new RecordingBoard();
        MemberStatsPublisher publisher = new MemberStatsPublisher(
                board,
                "ephemeral",
                new ConfigLoader(name -> null).parse("""
                                clientKeys: [ { name: app, key: client-secret-1 } ]
                                providers: []
                                models: []
                                """).node(),
                "node-1",
                System.currentTimeMillis(),
                new Traffic(),
                new RequestMetrics(new SimpleMeterRegistry()));
        vertx.getOrCreateContext().runOnContext(v -> publisher.start(vertx));
        board.threeSeen
                .future()
                .onComplete(ctx.succeeding(published -> ctx.verify(() -> {
                    assertFalse(published.get(1) || published.get(2), "the periodic publishes ran on an event loop");
                    ctx.completeNow();
                })));
    }
}
