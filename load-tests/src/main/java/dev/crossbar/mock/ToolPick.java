package dev.crossbar.mock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * Which offered tool a reply calls when the last turn is the user's. Real agents offer dozens of tools, so
 * the user's text may steer the mock with a directive anywhere in it:
 * <ul>
 *   <li>{@code mock:text}: no tool call, the usual text reply;
 *   <li>{@code mock:call NAME {json}}: a call to the offered tool NAME with that JSON object as its arguments
 *       (the object is optional: without it the arguments are made from the tool's schema); no call when no
 *       offered tool has that name.
 * </ul>
 * Without a directive the reply calls the tool the request forces (tool choice naming one), else the first
 * one, but only when few tools are offered ({@value #AUTO_CALL_MAX_TOOLS} at most): a coding agent offers
 * dozens, and calling the first of them (Claude Code's is "Agent") on every prompt would start sub-agents
 * without end, so its prompts get text unless they ask for a tool.
 */
final class ToolPick {

    static final String TEXT = "mock:text";
    static final String CALL = "mock:call ";
    static final int AUTO_CALL_MAX_TOOLS = 4;

    private ToolPick() {}

    /** The tool to call, or null for a text reply. {@code forced} is the name tool choice demands, or null. */
    static ReplyRequest.Tool choose(List<ReplyRequest.Tool> offered, String forced, String userText) {
        if (offered.isEmpty() || userText.contains(TEXT)) {
            return null;
        }
        int call = userText.indexOf(CALL);
        if (call >= 0) {
            return dictated(offered, userText.substring(call + CALL.length()));
        }
        if (forced != null) {
            for (ReplyRequest.Tool t : offered) {
                if (t.name().equals(forced)) {
                    return t;
                }
            }
        }
        return offered.size() <= AUTO_CALL_MAX_TOOLS ? offered.get(0) : null;
    }

    private static ReplyRequest.Tool dictated(List<ReplyRequest.Tool> offered, String rest) {
        int end = 0;
        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
            end++;
        }
        String name = rest.substring(0, end);
        for (ReplyRequest.Tool t : offered) {
            if (t.name().equals(name)) {
                return new ReplyRequest.Tool(t.name(), t.schema(), argumentsAt(rest.substring(end)));
            }
        }
        return null;
    }

    /** The JSON object that starts the text (after blanks on the same line), or null. */
    private static JsonNode argumentsAt(String text) {
        int i = 0;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i == text.length() || text.charAt(i) != '{') {
            return null;
        }
        try (JsonParser parser = Json.MAPPER.createParser(text.substring(i))) {
            JsonNode args = parser.readValueAsTree();
            return args != null && args.isObject() ? args : null;
        } catch (IOException e) {
            return null;
        }
    }
}
