package dev.crossbar.it;

import java.util.ArrayList;
import java.util.List;

/**
 * A chat request said once, protocol-neutrally, so each {@link ClientProtocol} can say it its own way:
 * the cross-protocol tests send the same conversation from every client protocol.
 *
 * @param system the system prompt, or null
 * @param tools names from {@link #TOOL_NAMES}; each takes one required string {@code city}
 * @param toolsOff the tools are offered but the model may not call them (tool choice "none")
 */
record Conversation(
        String system,
        List<Turn> turns,
        List<String> tools,
        boolean toolsOff,
        Integer maxTokens,
        Double temperature,
        List<String> stop) {

    static final List<String> TOOL_NAMES = List.of("get_weather", "get_time");
    static final String TOOL_SCHEMA = """
            {"type":"object","properties":{"city":{"type":"string","description":"a city"}},"required":["city"]}""";
    /** A 1x1 PNG. */
    static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    sealed interface Turn {}

    /** A user message; with {@code image}, the PNG follows the text. */
    record User(String text, boolean image) implements Turn {}

    record Assistant(String text) implements Turn {}

    /** An assistant turn that only calls tools. */
    record Calls(List<Call> calls) implements Turn {}

    /** The results of the calls just made, in their order. */
    record Results(List<Result> results) implements Turn {}

    /** @param argumentsJson a JSON object as text */
    record Call(String id, String name, String argumentsJson) {}

    record Result(String callId, String name, String content) {}

    Conversation {
        turns = List.copyOf(turns);
        tools = List.copyOf(tools);
        stop = List.copyOf(stop);
    }

    static Conversation of(Turn... turns) {
        return new Conversation(null, List.of(turns), List.of(), false, null, null, List.of());
    }

    static Conversation ask(String text) {
        return of(new User(text, false));
    }

    Conversation withSystem(String value) {
        return new Conversation(value, turns, tools, toolsOff, maxTokens, temperature, stop);
    }

    Conversation withTools(String... names) {
        return new Conversation(system, turns, List.of(names), toolsOff, maxTokens, temperature, stop);
    }

    Conversation withToolsOff() {
        return new Conversation(system, turns, tools, true, maxTokens, temperature, stop);
    }

    Conversation withMaxTokens(int value) {
        return new Conversation(system, turns, tools, toolsOff, value, temperature, stop);
    }

    Conversation withTemperature(double value) {
        return new Conversation(system, turns, tools, toolsOff, maxTokens, value, stop);
    }

    Conversation withStop(String... values) {
        return new Conversation(system, turns, tools, toolsOff, maxTokens, temperature, List.of(values));
    }

    Conversation then(Turn... more) {
        List<Turn> all = new ArrayList<>(turns);
        all.addAll(List.of(more));
        return new Conversation(system, all, tools, toolsOff, maxTokens, temperature, stop);
    }
}
