package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the mock providers from the command line until Ctrl-C:
 * {@code java -cp load-tests/target/classes:load-tests/target/lib/* dev.crossbar.mock.MockMain --help}.
 */
public final class MockMain {

    static final String USAGE = """
            Usage: MockMain [--port P] [--host H] [--config file.json] [--event-loops N] [--help]
              --port P         port on 127.0.0.1 (default 9090; 0 = any free port); overrides the config file
              --host H         interface to listen on (default 127.0.0.1; 0.0.0.0 only inside a container)
              --config F       a MockConfig JSON file (keys, faults, keyFaults, revokedKeys); see load-tests/MOCKS.md
              --event-loops N  HTTP server instances sharing the port (default 1)
            Without --config it serves mock-openai-1..3, mock-anthropic-1..3 and mock-gemini-1..3,
            each 10000 requests and 10000000 tokens per 60 s and 1000 in flight.
            Admin: GET /_mock/stats, POST /_mock/reset, GET|POST /_mock/config, GET /_mock/health.\
            """;

    private MockMain() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "mock-logback.xml");
        }
        MockConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (config == null) {
            System.out.println(USAGE);
            return;
        }
        Vertx vertx = Vertx.vertx();
        MockProviders mock;
        try {
            mock = MockProviders.start(vertx, config, new MonotonicClock(), host(args))
                    .await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("error: could not start: " + e.getMessage());
            vertx.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                vertx.close().await(5, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                // exiting anyway
                            }
                        },
                        "mock-shutdown"));
        printStarted(System.out, mock, config);
    }

    /** The config the arguments ask for, or null for {@code --help}. */
    static MockConfig parse(String[] args) throws IOException {
        Integer port = null;
        Integer eventLoops = null;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--port" -> port = intArg(args, ++i, "--port");
                case "--host" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--host needs an address");
                    }
                    i++;
                }
                case "--event-loops" -> eventLoops = intArg(args, ++i, "--event-loops");
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--config needs a file");
                    }
                    file = Path.of(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        MockConfig config = MockConfig.of().withPort(MockConfig.DEFAULT_PORT).withKeys(MockConfig.defaultKeys());
        if (file != null) {
            JsonNode json = Json.MAPPER.readTree(Files.readAllBytes(file));
            config = MockConfig.fromJson(json);
        }
        if (port != null) {
            config = config.withPort(port);
        }
        if (eventLoops != null) {
            config = config.withEventLoops(eventLoops);
        }
        return config;
    }

    /** The {@code --host} value, or 127.0.0.1. */
    static String host(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--host")) {
                return args[i + 1];
            }
        }
        return MockServerVerticle.HOST;
    }

    private static int intArg(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a number");
        }
        try {
            return Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was " + args[i]);
        }
    }

    private static void printStarted(PrintStream out, MockProviders mock, MockConfig config) {
        out.println("Mock providers listening on " + mock.baseUrl());
        out.println("  OpenAI     POST " + mock.baseUrl() + OpenAiMock.CHAT + " (Authorization: Bearer <key>)");
        out.println("  Anthropic  POST " + mock.baseUrl() + AnthropicMock.MESSAGES + " (x-api-key: <key>)");
        out.println("  Gemini     POST " + mock.baseUrl() + GeminiMock.PREFIX
                + "{model}:generateContent (x-goog-api-key: <key>)");
        out.println("Stats: " + mock.baseUrl() + "/_mock/stats");
        out.println("Keys:");
        config.keys().forEach(k -> out.println("  " + k.secret() + " (" + k.provider() + ")"));
        out.println("Ctrl-C to stop.");
    }
}
