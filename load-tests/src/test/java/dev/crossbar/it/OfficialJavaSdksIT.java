package dev.crossbar.it;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The official Java SDKs, as Crossbar's Java users run them ({@code com.openai:openai-java}: Chat
 * Completions and Responses; {@code com.anthropic:anthropic-java}: Messages), against every demo model
 * through a real node, plain and streamed (the SDKs' own accumulators rebuild the answer from the events),
 * with and without a tool round trip. One test per api/model/mode; expected failures are listed in
 * {@link ExpectedFailures}.
 */
class OfficialJavaSdksIT {

    private static final List<String> MODELS =
            List.of("demo-openai", "demo-openai-responses", "demo-anthropic", "demo-gemini");
    private static final String KEY = "crossbar-demo";
    private static final String PROMPT = "Paris in spring";
    private static final String TOOL_RESULT = "sunny, 21 degrees";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static GatewayHarness gateway;
    private static OpenAIClient openai;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayHarness.demo(1);
        openai = OpenAIOkHttpClient.builder()
                .baseUrl(gateway.url() + "/v1")
                .apiKey(KEY)
                .maxRetries(0)
                .timeout(TIMEOUT)
                .build();
        anthropic = AnthropicOkHttpClient.builder()
                .baseUrl(gateway.url())
                .apiKey(KEY)
                .maxRetries(0)
                .timeout(TIMEOUT)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (openai != null) {
            openai.close();
        }
        if (anthropic != null) {
            anthropic.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** One case: returns a short description of what came back, or throws. */
    interface Case {
        String run(String model, boolean stream) throws Exception;
    }

    @TestFactory
    Stream<DynamicTest> everySdkOnEveryModel() {
        Map<String, Case> apis = Map.of(
                "openai-chat/text", OfficialJavaSdksIT::chatText,
                "openai-chat/tools", OfficialJavaSdksIT::chatTools,
                "openai-responses/text", OfficialJavaSdksIT::responsesText,
                "openai-responses/tools", OfficialJavaSdksIT::responsesTools,
                "anthropic-messages/text", OfficialJavaSdksIT::messagesText,
                "anthropic-messages/tools", OfficialJavaSdksIT::messagesTools);
        List<DynamicTest> tests = new ArrayList<>();
        for (String api : apis.keySet().stream().sorted().toList()) {
            String[] parts = api.split("/", -1);
            for (String model : MODELS) {
                for (boolean stream : new boolean[] {false, true}) {
                    String id = parts[0] + "/" + model + "/" + parts[1] + (stream ? "-stream" : "");
                    tests.add(DynamicTest.dynamicTest(id, () -> runCase(id, apis.get(api), model, stream)));
                }
            }
        }
        return tests.stream();
    }

    private static void runCase(String id, Case c, String model, boolean stream) {
        boolean ok;
        String detail;
        try {
            detail = c.run(model, stream);
            ok = true;
        } catch (Exception | AssertionError e) {
            ok = false;
            detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        ExpectedFailures.verify(id, ok, detail);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static void checkEq(Object expected, Object actual, String what) {
        check(expected.equals(actual), what + ": expected " + expected + ", got " + actual);
    }

    private static void checkCity(String argumentsJson) throws Exception {
        JsonNode args = Http.JSON.readTree(argumentsJson);
        checkEq(PROMPT, args.path("city").asText(), "tool argument 'city' in " + argumentsJson);
    }

    private static Map<String, Object> citySchema() {
        return Map.of(
                "type", "object",
                "properties", Map.of("city", Map.of("type", "string", "description", "the city")),
                "required", List.of("city"));
    }

    // ---- OpenAI Chat Completions ----------------------------------------------------------------

    private static ChatCompletion chat(ChatCompletionCreateParams params, boolean stream) {
        if (!stream) {
            ChatCompletion c = openai.chat().completions().create(params);
            check(c.usage().isPresent() && c.usage().get().promptTokens() > 0, "usage: " + c.usage());
            return c;
        }
        ChatCompletionCreateParams streamed = params.toBuilder()
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        int chunks = 0;
        try (com.openai.core.http.StreamResponse<ChatCompletionChunk> events =
                openai.chat().completions().createStreaming(streamed)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) events.stream()::iterator) {
                acc.accumulate(chunk);
                chunks++;
            }
        }
        check(chunks > 2, "only " + chunks + " chunks");
        ChatCompletion c = acc.chatCompletion();
        check(c.usage().isPresent() && c.usage().get().completionTokens() > 0, "usage chunk: " + c.usage());
        return c;
    }

    private static String chatText(String model, boolean stream) {
        ChatCompletion c = chat(
                ChatCompletionCreateParams.builder()
                        .model(model)
                        .addUserMessage(PROMPT)
                        .build(),
                stream);
        String text = c.choices().get(0).message().content().orElse("");
        checkEq("echo: " + PROMPT, text, "text");
        checkEq(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason(), "finish_reason");
        return text;
    }

    private static String chatTools(String model, boolean stream) throws Exception {
        FunctionParameters parameters = FunctionParameters.builder()
                .putAllAdditionalProperties(toOpenAi(citySchema()))
                .build();
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage(PROMPT)
                .addFunctionTool(FunctionDefinition.builder()
                        .name("get_weather")
                        .description("The current weather in a city")
                        .parameters(parameters)
                        .build());
        ChatCompletion first = chat(params.build(), stream);
        checkEq(
                ChatCompletion.Choice.FinishReason.TOOL_CALLS,
                first.choices().get(0).finishReason(),
                "finish");
        ChatCompletionMessage message = first.choices().get(0).message();
        List<ChatCompletionMessageToolCall> calls = message.toolCalls().orElse(List.of());
        checkEq(1, calls.size(), "tool calls");
        ChatCompletionMessageFunctionToolCall call = calls.get(0).function().orElseThrow();
        checkEq("get_weather", call.function().name(), "tool name");
        checkCity(call.function().arguments());
        params.addMessage(message)
                .addMessage(ChatCompletionToolMessageParam.builder()
                        .toolCallId(call.id())
                        .content(TOOL_RESULT)
                        .build());
        ChatCompletion second = chat(params.build(), stream);
        String text = second.choices().get(0).message().content().orElse("");
        checkEq("tool said: " + TOOL_RESULT, text, "text after the tool result");
        return call.function().arguments() + " -> " + text;
    }

    private static Map<String, JsonValue> toOpenAi(Map<String, Object> schema) {
        Map<String, JsonValue> out = new java.util.LinkedHashMap<>();
        schema.forEach((k, v) -> out.put(k, JsonValue.from(v)));
        return out;
    }

    // ---- OpenAI Responses -----------------------------------------------------------------------

    private static Response respond(ResponseCreateParams params, boolean stream) {
        if (!stream) {
            return openai.responses().create(params);
        }
        ResponseAccumulator acc = ResponseAccumulator.create();
        int events = 0;
        try (com.openai.core.http.StreamResponse<ResponseStreamEvent> s =
                openai.responses().createStreaming(params)) {
            for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) s.stream()::iterator) {
                acc.accumulate(e);
                events++;
            }
        }
        check(events > 3, "only " + events + " events");
        return acc.response();
    }

    private static String outputText(Response r) {
        StringBuilder sb = new StringBuilder();
        for (ResponseOutputItem item : r.output()) {
            item.message()
                    .ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> sb.append(t.text()))));
        }
        return sb.toString();
    }

    private static String responsesText(String model, boolean stream) {
        Response r = respond(
                ResponseCreateParams.builder().model(model).input(PROMPT).build(), stream);
        String text = outputText(r);
        checkEq("echo: " + PROMPT, text, "output text");
        check(r.usage().isPresent() && r.usage().get().inputTokens() > 0, "usage: " + r.usage());
        return text;
    }

    private static String responsesTools(String model, boolean stream) throws Exception {
        FunctionTool tool = FunctionTool.builder()
                .name("get_weather")
                .description("The current weather in a city")
                .parameters(FunctionTool.Parameters.builder()
                        .putAllAdditionalProperties(toOpenAi(citySchema()))
                        .build())
                .strict(false)
                .build();
        ResponseInputItem user = ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                .role(EasyInputMessage.Role.USER)
                .content(PROMPT)
                .build());
        Response first = respond(
                ResponseCreateParams.builder()
                        .model(model)
                        .inputOfResponse(List.of(user))
                        .addTool(tool)
                        .build(),
                stream);
        List<ResponseFunctionToolCall> calls = new ArrayList<>();
        first.output().forEach(item -> item.functionCall().ifPresent(calls::add));
        checkEq(1, calls.size(), "function calls in " + first.output());
        ResponseFunctionToolCall call = calls.get(0);
        checkEq("get_weather", call.name(), "tool name");
        checkCity(call.arguments());
        Response second = respond(
                ResponseCreateParams.builder()
                        .model(model)
                        .inputOfResponse(List.of(
                                user,
                                ResponseInputItem.ofFunctionCall(call),
                                ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                                        .callId(call.callId())
                                        .output(TOOL_RESULT)
                                        .build())))
                        .addTool(tool)
                        .build(),
                stream);
        String text = outputText(second);
        checkEq("tool said: " + TOOL_RESULT, text, "text after the tool result");
        return call.arguments() + " -> " + text;
    }

    // ---- Anthropic Messages ---------------------------------------------------------------------

    private static Message messages(MessageCreateParams params, boolean stream) {
        if (!stream) {
            return anthropic.messages().create(params);
        }
        MessageAccumulator acc = MessageAccumulator.create();
        int events = 0;
        try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(params)) {
            for (RawMessageStreamEvent e : (Iterable<RawMessageStreamEvent>) s.stream()::iterator) {
                acc.accumulate(e);
                events++;
            }
        }
        check(events > 3, "only " + events + " events");
        return acc.message();
    }

    private static String text(Message m) {
        StringBuilder sb = new StringBuilder();
        for (ContentBlock b : m.content()) {
            b.text().ifPresent(t -> sb.append(t.text()));
        }
        return sb.toString();
    }

    private static String messagesText(String model, boolean stream) {
        Message m = messages(
                MessageCreateParams.builder()
                        .model(model)
                        .maxTokens(256)
                        .addUserMessage(PROMPT)
                        .build(),
                stream);
        checkEq("echo: " + PROMPT, text(m), "text");
        checkEq(StopReason.END_TURN, m.stopReason().orElse(null), "stop_reason");
        check(m.usage().inputTokens() > 0 && m.usage().outputTokens() > 0, "usage: " + m.usage());
        return text(m);
    }

    private static String messagesTools(String model, boolean stream) throws Exception {
        Tool tool = Tool.builder()
                .name("get_weather")
                .description("The current weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty(
                                        "city", com.anthropic.core.JsonValue.from(Map.of("type", "string")))
                                .build())
                        .required(List.of("city"))
                        .build())
                .build();
        MessageCreateParams.Builder params = MessageCreateParams.builder()
                .model(model)
                .maxTokens(256)
                .addUserMessage(PROMPT)
                .addTool(tool);
        Message first = messages(params.build(), stream);
        checkEq(StopReason.TOOL_USE, first.stopReason().orElse(null), "stop_reason");
        List<ToolUseBlock> uses = new ArrayList<>();
        first.content().forEach(b -> b.toolUse().ifPresent(uses::add));
        checkEq(1, uses.size(), "tool_use blocks");
        ToolUseBlock use = uses.get(0);
        checkEq("get_weather", use.name(), "tool name");
        String input = Http.JSON.writeValueAsString(use._input().convert(Object.class));
        checkCity(input);
        params.addMessage(first.toParam())
                .addUserMessageOfContentBlockParams(
                        List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                                .toolUseId(use.id())
                                .content(TOOL_RESULT)
                                .build())));
        Message second = messages(params.build(), stream);
        checkEq("tool said: " + TOOL_RESULT, text(second), "text after the tool result");
        return input + " -> " + text(second);
    }
}
