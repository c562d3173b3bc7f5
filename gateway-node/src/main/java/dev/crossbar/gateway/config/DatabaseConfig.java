package dev.crossbar.gateway.config;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL database that keeps one usage record per request (docs/spend.md, The usage database). Absent
 * from the config, a node keeps no records. The password (and the user) come from {@code ${ENV}} or
 * {@code ${file:...}} in the YAML and are never logged.
 *
 * @param url      {@code postgresql://host:port/database}, with no credentials in it
 * @param buffer   records kept in memory while the database cannot take them; beyond it new ones are dropped
 *                 and counted
 * @param batch    records written in one statement at most
 * @param interval how often buffered records are written
 */
public record DatabaseConfig(
        String url,
        @Nullable String user,
        @Nullable String password,
        Integer buffer,
        Integer batch,
        Duration interval) {

    public static final int DEFAULT_BUFFER = 100_000;
    public static final int DEFAULT_BATCH = 500;
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);

    // Not compact, so that a field left out (null) can be passed in for its default.
    public DatabaseConfig(
            String url,
            @Nullable String user,
            @Nullable String password,
            @Nullable Integer buffer,
            @Nullable Integer batch,
            @Nullable Duration interval) {
        Check.required("database.url", url);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("database.url", "not a URL: " + e.getMessage());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new ConfigException("database.url", "must start with postgresql://, was " + uri.getScheme() + "://");
        }
        if (uri.getUserInfo() != null) {
            throw new ConfigException(
                    "database.url", "must not carry a user or password: set database.user and database.password");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("database.url", "names no host");
        }
        buffer = buffer == null ? DEFAULT_BUFFER : buffer;
        Check.positive("database.buffer", buffer);
        batch = batch == null ? DEFAULT_BATCH : batch;
        Check.positive("database.batch", batch);
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        Check.positive("database.interval", interval.toMillis());
        this.url = url;
        this.user = user;
        this.password = password;
        this.buffer = buffer;
        this.batch = batch;
        this.interval = interval;
    }

    /** The same database as Flyway's JDBC driver names it. */
    public String jdbcUrl() {
        URI uri = URI.create(url);
        return "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user + ", buffer=" + buffer + ", batch=" + batch + "]";
    }
}
