package dev.crossbar.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

    private static final String BASE = """
            clientKeys:
              - { name: app, key: client-secret-1 }
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of("DB_PASSWORD", "pg-secret-0001")::get);

    @Test
    void shouldKeepNoDatabaseWhenTheConfigNamesNone() {
        assertNull(loader.parse(BASE).database());
    }

    @Test
    void shouldReadTheDatabaseWithItsPasswordFromTheEnvironmentAndDefaults() {
        GatewayConfig config = loader.parse(BASE + """
                database: { url: "postgresql://db.internal:5433/usage?sslmode=require", user: crossbar, password: "${DB_PASSWORD}" }
                """);
        DatabaseConfig db = config.database();
        assertEquals("pg-secret-0001", db.password());
        assertEquals(DatabaseConfig.DEFAULT_BUFFER, db.buffer());
        assertEquals(DatabaseConfig.DEFAULT_BATCH, db.batch());
        assertEquals(Duration.ofMillis(500), db.interval());
        assertEquals("jdbc:postgresql://db.internal:5433/usage?sslmode=require", db.jdbcUrl());
        assertFalse(db.toString().contains("pg-secret-0001"), db.toString());
        assertFalse(config.toString().contains("pg-secret-0001"), "the whole config's text holds no password");
    }

    @Test
    void shouldRefuseCredentialsInTheUrlAndOtherDatabases() {
        ConfigException inUrl = assertThrows(
                ConfigException.class,
                () -> loader.parse(BASE + "database: { url: \"postgresql://u:pw@db:5432/x\" }\n"));
        assertTrue(inUrl.getMessage().contains("database.url"), inUrl.getMessage());
        assertTrue(inUrl.getMessage().contains("must not carry a user or password"), inUrl.getMessage());
        assertFalse(inUrl.getMessage().contains("pw@"), "the refusal does not repeat the password");
        ConfigException mysql = assertThrows(
                ConfigException.class, () -> loader.parse(BASE + "database: { url: \"mysql://db:3306/x\" }\n"));
        assertTrue(mysql.getMessage().contains("must start with postgresql://"), mysql.getMessage());
        ConfigException buffer = assertThrows(
                ConfigException.class,
                () -> loader.parse(BASE + "database: { url: \"postgresql://db/x\", buffer: 0 }\n"));
        assertTrue(buffer.getMessage().contains("database.buffer"), buffer.getMessage());
    }
}
