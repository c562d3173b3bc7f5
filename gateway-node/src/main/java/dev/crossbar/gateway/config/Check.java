package dev.crossbar.gateway.config;

import org.jspecify.annotations.Nullable;

/** Validation helpers for config records: each failure names the field and the value. */
final class Check {

    private Check() {}

    static void positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, was " + value);
        }
    }

    static void notNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value);
        }
    }

    static String required(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static void port(String field, int value) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException(field + " must be a port between 0 and 65535, was " + value);
        }
    }

    static void readableFile(String field, String path) {
        if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
            throw new IllegalArgumentException(field + ": cannot read the file '" + path + "'");
        }
    }

    static String httpUrl(String field, String value) {
        if (!value.startsWith("http://") && !value.startsWith("https://")) {
            throw new IllegalArgumentException(field + " must start with http:// or https://, was '" + value + "'");
        }
        return value;
    }
}
