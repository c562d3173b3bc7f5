package dev.crossbar.gateway.config;

import org.jspecify.annotations.Nullable;

/**
 * What a model does with provider-run tools (and traces of their runs) that its chosen target cannot run,
 * because it speaks another protocol than the client.
 */
public enum BuiltinToolPolicy {
    /** Send the request without them, and tell the client in {@code x-crossbar-dropped-tools}. */
    DROP("drop"),
    /** Use only targets that get them unchanged; with none, a 400 that names the tool. */
    REFUSE("refuse");

    private final String configName;

    BuiltinToolPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static @Nullable BuiltinToolPolicy byName(String name) {
        for (BuiltinToolPolicy p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
