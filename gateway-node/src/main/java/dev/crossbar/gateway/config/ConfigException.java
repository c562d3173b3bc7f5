package dev.crossbar.gateway.config;

/** A configuration that must not start a node. The message names the field and what is wrong. */
public final class ConfigException extends RuntimeException {

    private final String field;
    private final String problem;

    public ConfigException(String field, String problem) {
        super(field + ": " + problem, null, false, false);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    /** What is wrong, without the field. */
    public String problem() {
        return problem;
    }
}
