package dev.crossbar.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** node.jsonLogs on a private logback context (the real one is process-wide). */
class JsonLogsTest {

    @Test
    void shouldTurnEveryLineIntoJsonAndKeepAccessLinesAsWritten() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ByteArrayOutputStream access = new ByteArrayOutputStream();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender(context, "CONSOLE", plain));
        Logger accessLogger = context.getLogger(AccessLog.LOGGER);
        accessLogger.setAdditive(false);
        accessLogger.addAppender(appender(context, JsonLogs.ACCESS_APPENDER, access));

        assertEquals(2, JsonLogs.install(context));
        context.getLogger("dev.crossbar.Something").info("hello {}", "world");
        new AccessLog(accessLogger, true).completed(AccessLogTest.record("gpt-4o", 200, "success"));

        ObjectMapper json = new ObjectMapper();
        JsonNode line = json.readTree(plain.toString(StandardCharsets.UTF_8).strip());
        assertEquals("INFO", line.get("level").asText());
        assertEquals("dev.crossbar.Something", line.get("loggerName").asText());
        assertEquals("hello world", line.get("formattedMessage").asText());
        List<String> accessLines =
                access.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, accessLines.size());
        assertEquals(
                "req_1a2b", json.readTree(accessLines.get(0)).get("request_id").asText());
        context.stop();
    }

    private static OutputStreamAppender<ILoggingEvent> appender(
            LoggerContext context, String name, ByteArrayOutputStream out) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d %level %logger - %msg%n");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        return appender;
    }
}
