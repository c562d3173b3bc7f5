package dev.crossbar.gateway.keys;

import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.config.KeyHealthConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.Upstream;
import dev.crossbar.gateway.upstream.UpstreamClients;
import dev.crossbar.gateway.upstream.UpstreamConnections;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled checks of keys the provider refused (issue: keys that come back). Now and then each node looks in
 * its ledger snapshot for keys out of rotation because their provider refused them; for each whose check is due
 * it claims the check in the ledger, so one node of the cluster makes it per interval, and asks the provider's
 * models list with the key: a call that bills nothing. A key the provider accepts again comes back into
 * rotation (its first real call is the usual probe); what each check found is shown in the admin API. Keys an
 * admin turned off are never checked, nor keys of a cloud, whose credential its token endpoint judges.
 */
public final class KeyChecks extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(KeyChecks.class);
    private static final long LONGEST_TICK_MILLIS = 5_000;

    private final Ledger ledger;
    private final Collection<Upstream> upstreams;
    private final List<ProviderConfig> providers;
    private final long intervalMillis;
    private final UpstreamConnections connections;
    /** Set in {@link #start}, before the first check. */
    private @Nullable UpstreamClients clients;

    public KeyChecks(
            Ledger ledger,
            Collection<Upstream> upstreams,
            List<ProviderConfig> providers,
            KeyHealthConfig health,
            UpstreamConnections connections) {
        this.ledger = ledger;
        this.connections = connections;
        this.upstreams = upstreams;
        this.providers = providers;
        this.intervalMillis = health.checkInterval().toMillis();
    }

    @Override
    public Future<?> start() {
        clients = new UpstreamClients(vertx, context, connections, providers);
        long tick = Math.max(100, Math.min(intervalMillis / 2, LONGEST_TICK_MILLIS));
        vertx.setPeriodic(tick, id -> checkDue());
        return Future.succeededFuture();
    }

    private void checkDue() {
        Map<String, KeyState> snapshot = ledger.snapshot();
        long now = ledger.now();
        for (Upstream upstream : upstreams) {
            for (ProviderKey key : upstream.keys()) {
                KeyState state = snapshot.get(key.id());
                if (state != null
                        && state.disabled()
                        && state.refusedByProvider()
                        && now - state.checkedAt() >= intervalMillis) {
                    claim(upstream, key);
                }
            }
        }
    }

    private void claim(Upstream upstream, ProviderKey key) {
        RequestOptions options = upstream.modelsList(key);
        if (options == null) {
            return;
        }
        Future.fromCompletionStage(ledger.execute(key.id(), new KeyCommand.ClaimCheck(intervalMillis)), context)
                .onSuccess(claimed -> {
                    if (Boolean.TRUE.equals(claimed)) {
                        check(upstream, key, options);
                    }
                });
    }

    private void check(Upstream upstream, ProviderKey key, RequestOptions options) {
        Objects.requireNonNull(clients, "set in start")
                .forProvider(upstream.id())
                .request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> response))
                .onComplete(ar -> {
                    boolean accepted = ar.succeeded() && ok(ar.result());
                    String result = ar.succeeded()
                            ? ar.result().statusCode() + " from GET /models"
                            : "no answer from GET /models: "
                                    + ar.cause().getClass().getSimpleName();
                    if (accepted) {
                        LOG.info("key {} of provider {} is accepted again: back in rotation", key.id(), upstream.id());
                    }
                    ledger.execute(key.id(), new KeyCommand.Checked(accepted, result));
                });
    }

    private static boolean ok(HttpClientResponse response) {
        return response.statusCode() >= 200 && response.statusCode() < 300;
    }
}
