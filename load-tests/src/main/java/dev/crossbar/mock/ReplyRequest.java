package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a reply depends on, read from any protocol's request.
 *
 * @param inputChars characters of all message text, system prompt and tool results
 * @param lastUserText text of the last user message ("" if none)
 * @param toolResult text of the tool result when the last message is one, else null
 * @param tool the first offered tool when the reply should call it, else null
 * @param maxTokens the requested output cap, or null
 */
record ReplyRequest(long inputChars, String lastUserText, String toolResult, Tool tool, Long maxTokens) {

    /** A tool offered by the request: its name and JSON schema of its arguments. */
    record Tool(String name, JsonNode schema) {}
}
