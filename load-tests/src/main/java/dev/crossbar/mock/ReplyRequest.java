package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a reply depends on, read from any protocol's request.
 *
 * @param inputChars characters of all message text, system prompt and tool results
 * @param lastUserText text of the last user message ("" if none)
 * @param toolResult text of the tool result when the last message is one, else null
 * @param tool the offered tool the reply should call (see {@link ToolPick}), else null
 * @param maxTokens the requested output cap, or null
 * @param jsonSchema the schema of the JSON the request asks for as output (an empty object for "any JSON
 *     object"), else null
 */
record ReplyRequest(
        long inputChars, String lastUserText, String toolResult, Tool tool, Long maxTokens, JsonNode jsonSchema) {

    ReplyRequest(long inputChars, String lastUserText, String toolResult, Tool tool, Long maxTokens) {
        this(inputChars, lastUserText, toolResult, tool, maxTokens, null);
    }

    /**
     * A tool offered by the request: its name, the JSON schema of its arguments and, when the user's text
     * dictated them, the arguments to call it with (else null: they are made from the schema).
     */
    record Tool(String name, JsonNode schema, JsonNode arguments) {

        Tool(String name, JsonNode schema) {
            this(name, schema, null);
        }
    }
}
