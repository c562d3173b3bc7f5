package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.BuiltinTool;
import dev.crossbar.codecs.model.CodecException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What the gateway says about the built-in tools of a request whose provider cannot run them: the
 * {@value #HEADER} header (and access-log field) that names the dropped ones, or the refusal.
 */
final class BuiltinTools {

    /** Names the built-in tools a request went without, because the chosen provider cannot run them. */
    static final String HEADER = "x-crossbar-dropped-tools";

    static final int MAX_NAMED = 16;
    static final int MAX_NAME_CHARS = 64;

    private BuiltinTools() {}

    /**
     * The distinct types, comma-separated, at most {@value #MAX_NAMED}: as the client wrote them, reduced
     * to what a header value may safely hold (a hostile type cannot break the header).
     */
    static String dropped(List<BuiltinTool> tools) {
        return dropped(tools, BuiltinTool::type);
    }

    /** The distinct names {@code name} gives {@code items}, comma-separated, made safe for a header (see above). */
    static <T> String dropped(List<T> items, Function<T, String> name) {
        Set<String> names = new LinkedHashSet<>();
        for (T item : items) {
            if (names.size() < MAX_NAMED) {
                names.add(word(name.apply(item)));
            }
        }
        return String.join(",", names);
    }

    /** The 400 of a model that refuses built-in tools, naming the first one's field. */
    static ApiError refusal(List<BuiltinTool> tools, String model) {
        BuiltinTool tool = tools.get(0);
        return CodecException.invalid(
                        tool.param(),
                        "'" + tool.param() + "' is the built-in tool '" + tool.type()
                                + "', which no provider of model '"
                                + model + "' can run from this protocol, and the model refuses such requests "
                                + "(builtinTools: refuse); remove it")
                .error();
    }

    private static String word(String type) {
        StringBuilder b = new StringBuilder(Math.min(type.length(), MAX_NAME_CHARS));
        for (int i = 0; i < type.length() && b.length() < MAX_NAME_CHARS; i++) {
            char c = type.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == '.';
            b.append(plain ? c : '_');
        }
        return b.toString();
    }
}
