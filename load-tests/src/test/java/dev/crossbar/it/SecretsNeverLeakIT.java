package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every configured secret (provider keys, client key, admin token) is searched for in everything a node
 * says: every log line at INFO and above (what production logs), every response body and header, the metrics page, the admin API
 * and the dashboard, across successes, rejections, upstream failures and bad input.
 */
class SecretsNeverLeakIT {

    private static final String PROVIDER_KEY = "sk-SECRETprov-0123456789abcdef";
    private static final String REVOKED_KEY = "sk-SECRETrevoked-fedcba9876543210";
    private static final String FAILING_KEY = "sk-SECRETfailing-aaaabbbbccccdddd";
    private static final String CLIENT_KEY = "ck-SECRETclient-5555666677778888";
    private static final String ADMIN_TOKEN = "adm-SECRETtoken-9999000011112222";
    private static final List<String> SECRETS =
            List.of(PROVIDER_KEY, REVOKED_KEY, FAILING_KEY, CLIENT_KEY, ADMIN_TOKEN);

    /** Keeps every formatted log line, stack traces included. */
    private static final class Capture extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getFormattedMessage());
            for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }
    }

    @Test
    void noSecretAppearsAnywhere() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Capture capture = new Capture();
        capture.setContext(logging);
        capture.start();
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger access = logging.getLogger("crossbar.access");
        var previousLevel = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.INFO);
        root.addAppender(capture);
        access.addAppender(capture);
        List<String> seen = new ArrayList<>();
        MockConfig mock = MockConfig.of(
                        MockKey.unlimited(PROVIDER_KEY, "openai"),
                        MockKey.unlimited(REVOKED_KEY, "openai"),
                        MockKey.unlimited(FAILING_KEY, "openai"))
                .withRevokedKeys(Set.of(REVOKED_KEY))
                .withKeyFaults(Map.of(
                        FAILING_KEY, FaultPlan.builder().serverErrorShare(1.0).build()));
        TestConfig config = TestConfig.openAi(REVOKED_KEY, FAILING_KEY, PROVIDER_KEY)
                .clientKeys(TestConfig.clientKey("test", CLIENT_KEY))
                .adminToken(ADMIN_TOKEN)
                .strategy("round-robin");
        try (GatewayHarness gateway = new GatewayHarness(mock, config, 1)) {
            String chat = gateway.url() + "/v1/chat/completions";
            String hello = "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            for (int i = 0; i < 6; i++) {
                seen.add(describe(Http.post(chat, hello, Http.bearer(CLIENT_KEY))));
                seen.add(describe(
                        Http.post(chat, hello.replace("}]}", "}],\"stream\":true}"), Http.bearer(CLIENT_KEY))));
            }
            seen.add(describe(Http.post(chat, hello, Http.bearer(CLIENT_KEY + "x"))));
            seen.add(describe(Http.post(chat, "{bad json", Http.bearer(CLIENT_KEY))));
            seen.add(describe(Http.post(chat, hello.replace("test-model", "nope"), Http.bearer(CLIENT_KEY))));
            seen.add(describe(Http.get(gateway.url() + "/v1/models", Http.bearer(CLIENT_KEY))));
            seen.add(describe(Http.get(gateway.url() + "/metrics")));
            for (String path : List.of(
                    "/admin/api/keys", "/admin/api/cluster", "/admin/api/models", "/admin/api/history", "/admin")) {
                seen.add(describe(Http.get(gateway.url() + path, Http.bearer(ADMIN_TOKEN))));
            }
            seen.add(describe(Http.get(gateway.url() + "/admin/api/keys", Http.bearer("wrong-" + ADMIN_TOKEN))));
            seen.add(describe(Http.post(
                    gateway.url() + "/admin/api/keys",
                    "{\"id\":\"added\",\"provider\":\"mock-openai\"," + "\"secret\":\"" + PROVIDER_KEY + "-2\"}",
                    Http.bearer(ADMIN_TOKEN))));
            seen.add(describe(Http.get(gateway.url() + "/admin/api/keys", Http.bearer(ADMIN_TOKEN))));
        } finally {
            root.detachAppender(capture);
            access.detachAppender(capture);
            root.setLevel(previousLevel);
        }
        assertTrue(capture.lines.size() > 10, "the run logged something to search: " + capture.lines.size());
        for (String secret : SECRETS) {
            for (String line : capture.lines) {
                assertTrue(!line.contains(secret), "a log line shows a secret: " + line);
            }
            for (String answer : seen) {
                assertTrue(!answer.contains(secret), "a response shows a secret: " + answer);
            }
        }
    }

    private static String describe(Http.Reply reply) {
        return reply.status() + " " + reply.headers() + " " + reply.body();
    }
}
