package dev.crossbar.codecs.model;

import java.util.Objects;

/**
 * A tool the provider runs itself (web search, file search, code execution, computer use, a namespace it
 * cannot express...) or a trace of one in the history, as the client sent it. The canonical model cannot
 * translate these: they reach the provider only when the client's body is forwarded unchanged to a
 * provider of its own protocol. Elsewhere the gateway drops them or refuses the request, as the model's
 * {@code builtinTools} policy says.
 *
 * @param type  the tool's wire name, e.g. {@code web_search}, {@code web_search_20250305}, {@code googleSearch}
 * @param param the request field that holds it, e.g. {@code tools[7]}, for the refusal's message
 */
public record BuiltinTool(String type, String param) {
    public BuiltinTool {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(param, "param");
    }
}
