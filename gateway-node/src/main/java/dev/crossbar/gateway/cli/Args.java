package dev.crossbar.gateway.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Command-line options: {@code --name value}, {@code --name=value} and bare flags; the rest are positional. */
public final class Args {

    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    public Args(String[] args, int from, List<String> flags) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                if (eq > 0) {
                    options.put(a.substring(2, eq), a.substring(eq + 1));
                } else if (flags.contains(a.substring(2))) {
                    options.put(a.substring(2), "true");
                } else if (i + 1 < args.length) {
                    options.put(a.substring(2), args[++i]);
                } else {
                    throw new UsageException("option " + a + " needs a value");
                }
            } else {
                positional.add(a);
            }
        }
    }

    public @Nullable String get(String name) {
        return options.get(name);
    }

    public String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public boolean flag(String name) {
        return "true".equals(options.get(name));
    }

    public int integer(String name, int fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, was '" + v + "'");
        }
    }

    public List<String> positional() {
        return positional;
    }

    /** Rejects options the command does not know, so a typo does not pass silently. */
    public void allow(List<String> known) {
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new UsageException("unknown option --" + name + " (known: --" + String.join(", --", known) + ")");
            }
        }
    }

    /** A mistake on the command line; the launcher prints it with the usage and exits 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
