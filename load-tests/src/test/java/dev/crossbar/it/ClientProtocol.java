package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One client protocol as a test client speaks it: how it says a {@link Conversation}, and how it reads
 * answers (whole or streamed) and errors, checking the shapes its official SDK relies on.
 */
enum ClientProtocol {
    CHAT {
        @Override
        Http.Reply send(String base, String key, String model, Conversation c, boolean stream) throws Exception {
            ObjectNode body = object().put("model", model);
            ArrayNode messages = body.putArray("messages");
            if (c.system() != null) {
                messages.addObject().put("role", "system").put("content", c.system());
            }
            for (Conversation.Turn turn : c.turns()) {
                if (turn instanceof Conversation.User u) {
                    ObjectNode m = messages.addObject().put("role", "user");
                    if (u.image()) {
                        ArrayNode parts = m.putArray("content");
                        parts.addObject().put("type", "text").put("text", u.text());
                        parts.addObject()
                                .put("type", "image_url")
                                .putObject("image_url")
                                .put("url", "data:image/png;base64," + Conversation.PNG);
                    } else {
                        m.put("content", u.text());
                    }
                } else if (turn instanceof Conversation.Assistant a) {
                    messages.addObject().put("role", "assistant").put("content", a.text());
                } else if (turn instanceof Conversation.Calls calls) {
                    ObjectNode m = messages.addObject().put("role", "assistant").putNull("content");
                    ArrayNode tc = m.putArray("tool_calls");
                    for (Conversation.Call call : calls.calls()) {
                        tc.addObject()
                                .put("id", call.id())
                                .put("type", "function")
                                .putObject("function")
                                .put("name", call.name())
                                .put("arguments", call.argumentsJson());
                    }
                } else if (turn instanceof Conversation.Results results) {
                    for (Conversation.Result r : results.results()) {
                        messages.addObject()
                                .put("role", "tool")
                                .put("tool_call_id", r.callId())
                                .put("content", r.content());
                    }
                }
            }
            if (!c.tools().isEmpty()) {
                ArrayNode tools = body.putArray("tools");
                for (String name : c.tools()) {
                    tools.addObject()
                            .put("type", "function")
                            .putObject("function")
                            .put("name", name)
                            .put("description", "tool " + name)
                            .set("parameters", schema());
                }
                if (c.toolsOff()) {
                    body.put("tool_choice", "none");
                }
            }
            if (c.maxTokens() != null) {
                body.put("max_tokens", c.maxTokens());
            }
            if (c.temperature() != null) {
                body.put("temperature", c.temperature());
            }
            if (!c.stop().isEmpty()) {
                c.stop().forEach(body.putArray("stop")::add);
            }
            if (stream) {
                body.put("stream", true).putObject("stream_options").put("include_usage", true);
            }
            return Http.post(base + "/v1/chat/completions", body.toString(), "authorization", "Bearer " + key);
        }

        @Override
        Answer read(Http.Reply r, boolean stream) throws IOException {
            assertEquals(200, r.status(), r.body());
            if (!stream) {
                JsonNode json = r.json();
                assertEquals("chat.completion", json.path("object").asText(), r.body());
                JsonNode choice = json.at("/choices/0");
                JsonNode message = choice.path("message");
                assertEquals("assistant", message.path("role").asText(), r.body());
                List<Conversation.Call> calls = new ArrayList<>();
                for (JsonNode tc : message.path("tool_calls")) {
                    assertEquals("function", tc.path("type").asText(), r.body());
                    calls.add(new Conversation.Call(
                            tc.path("id").asText(null),
                            tc.at("/function/name").asText(),
                            tc.at("/function/arguments").asText()));
                }
                JsonNode usage = json.path("usage");
                assertEquals(
                        usage.path("prompt_tokens").asLong()
                                + usage.path("completion_tokens").asLong(),
                        usage.path("total_tokens").asLong(),
                        r.body());
                return new Answer(
                        message.path("content").asText(""),
                        calls,
                        finish(choice.path("finish_reason").asText()),
                        usage.path("prompt_tokens").asLong(),
                        usage.path("completion_tokens").asLong(),
                        r.body());
            }
            assertTrue(r.header("content-type").startsWith("text/event-stream"), r.header("content-type"));
            List<String> data = r.sseData();
            assertEquals("[DONE]", data.get(data.size() - 1), r.body());
            StringBuilder text = new StringBuilder();
            Map<Integer, String[]> calls = new LinkedHashMap<>();
            String finish = null;
            JsonNode usage = null;
            for (String d : data.subList(0, data.size() - 1)) {
                JsonNode chunk = Http.JSON.readTree(d);
                assertFalse(chunk.has("error"), r.body());
                assertEquals("chat.completion.chunk", chunk.path("object").asText(), d);
                if (chunk.path("choices").isEmpty()) {
                    usage = chunk.get("usage");
                    continue;
                }
                JsonNode choice = chunk.at("/choices/0");
                text.append(choice.at("/delta/content").asText(""));
                for (JsonNode tc : choice.at("/delta/tool_calls")) {
                    String[] call = calls.computeIfAbsent(tc.path("index").asInt(-1), i -> new String[] {null, "", ""});
                    if (tc.hasNonNull("id")) {
                        call[0] = tc.get("id").asText();
                    }
                    call[1] += tc.at("/function/name").asText("");
                    call[2] += tc.at("/function/arguments").asText("");
                }
                if (choice.hasNonNull("finish_reason")) {
                    assertEquals(null, finish, "one finish_reason only: " + r.body());
                    finish = choice.get("finish_reason").asText();
                }
            }
            assertNotNull(usage, "include_usage was set: " + r.body());
            List<Conversation.Call> out = new ArrayList<>();
            calls.forEach((index, c) -> {
                assertTrue(index >= 0, "every tool delta has an index: " + r.body());
                out.add(new Conversation.Call(c[0], c[1], c[2]));
            });
            return new Answer(
                    text.toString(),
                    out,
                    finish(finish),
                    usage.path("prompt_tokens").asLong(),
                    usage.path("completion_tokens").asLong(),
                    r.body());
        }

        private String finish(String reason) {
            return switch (reason) {
                case "stop" -> Answer.STOP;
                case "length" -> Answer.LENGTH;
                case "tool_calls" -> Answer.TOOL_CALLS;
                default -> "unexpected finish_reason " + reason;
            };
        }

        @Override
        void assertError(Http.Reply r, int status) {
            assertEquals(status, r.status(), r.body());
            JsonNode error = r.json().path("error");
            assertTrue(error.path("message").isTextual(), r.body());
            assertTrue(error.path("type").isTextual(), r.body());
        }

        @Override
        String streamError(Http.Reply r) throws IOException {
            for (String d : r.sseData()) {
                if (d.startsWith("{") && Http.JSON.readTree(d).has("error")) {
                    return Http.JSON.readTree(d).at("/error/message").asText();
                }
            }
            return null;
        }
    },

    RESPONSES {
        @Override
        Http.Reply send(String base, String key, String model, Conversation c, boolean stream) throws Exception {
            ObjectNode body = object().put("model", model);
            ArrayNode input = body.putArray("input");
            if (c.system() != null && c.turns().isEmpty()) {
                // 'input' may not be empty: a lone system prompt is a system item.
                input.addObject().put("role", "system").put("content", c.system());
            } else if (c.system() != null) {
                body.put("instructions", c.system());
            }
            for (Conversation.Turn turn : c.turns()) {
                if (turn instanceof Conversation.User u) {
                    ArrayNode content = input.addObject().put("role", "user").putArray("content");
                    content.addObject().put("type", "input_text").put("text", u.text());
                    if (u.image()) {
                        content.addObject()
                                .put("type", "input_image")
                                .put("image_url", "data:image/png;base64," + Conversation.PNG);
                    }
                } else if (turn instanceof Conversation.Assistant a) {
                    input.addObject()
                            .put("type", "message")
                            .put("role", "assistant")
                            .putArray("content")
                            .addObject()
                            .put("type", "output_text")
                            .put("text", a.text());
                } else if (turn instanceof Conversation.Calls calls) {
                    for (Conversation.Call call : calls.calls()) {
                        input.addObject()
                                .put("type", "function_call")
                                .put("call_id", call.id())
                                .put("name", call.name())
                                .put("arguments", call.argumentsJson());
                    }
                } else if (turn instanceof Conversation.Results results) {
                    for (Conversation.Result r : results.results()) {
                        input.addObject()
                                .put("type", "function_call_output")
                                .put("call_id", r.callId())
                                .put("output", r.content());
                    }
                }
            }
            if (!c.tools().isEmpty()) {
                ArrayNode tools = body.putArray("tools");
                for (String name : c.tools()) {
                    tools.addObject()
                            .put("type", "function")
                            .put("name", name)
                            .put("description", "tool " + name)
                            .put("strict", false)
                            .set("parameters", schema());
                }
                if (c.toolsOff()) {
                    body.put("tool_choice", "none");
                }
            }
            if (c.maxTokens() != null) {
                body.put("max_output_tokens", c.maxTokens());
            }
            if (c.temperature() != null) {
                body.put("temperature", c.temperature());
            }
            if (!c.stop().isEmpty()) {
                throw new IllegalArgumentException("the Responses API has no stop sequences");
            }
            if (stream) {
                body.put("stream", true);
            }
            return Http.post(base + "/v1/responses", body.toString(), "authorization", "Bearer " + key);
        }

        @Override
        Answer read(Http.Reply r, boolean stream) throws IOException {
            assertEquals(200, r.status(), r.body());
            if (!stream) {
                return response(r.json(), r.body());
            }
            assertTrue(r.header("content-type").startsWith("text/event-stream"), r.header("content-type"));
            List<String[]> events = events(r.body());
            StringBuilder deltas = new StringBuilder();
            long sequence = 0;
            JsonNode last = null;
            for (String[] e : events) {
                JsonNode data = Http.JSON.readTree(e[1]);
                assertEquals(e[0], data.path("type").asText(), "event name = data.type: " + e[1]);
                assertEquals(sequence++, data.path("sequence_number").asLong(), e[1]);
                if ("response.output_text.delta".equals(e[0])) {
                    deltas.append(data.path("delta").asText());
                }
                last = data;
            }
            assertEquals("response.created", events.get(0)[0], r.body());
            assertNotNull(last);
            String terminal = last.path("type").asText();
            assertTrue(terminal.equals("response.completed") || terminal.equals("response.incomplete"), r.body());
            Answer answer = response(last.path("response"), r.body());
            assertEquals(answer.text(), deltas.toString(), "the deltas add up to the final text");
            return answer;
        }

        private Answer response(JsonNode json, String raw) {
            assertEquals("response", json.path("object").asText(), raw);
            StringBuilder text = new StringBuilder();
            List<Conversation.Call> calls = new ArrayList<>();
            for (JsonNode item : json.path("output")) {
                if ("message".equals(item.path("type").asText())) {
                    for (JsonNode part : item.path("content")) {
                        text.append(part.path("text").asText(""));
                    }
                } else if ("function_call".equals(item.path("type").asText())) {
                    calls.add(new Conversation.Call(
                            item.path("call_id").asText(null),
                            item.path("name").asText(),
                            item.path("arguments").asText()));
                }
            }
            String status = json.path("status").asText();
            String finish;
            if ("incomplete".equals(status)) {
                finish = "max_output_tokens"
                                .equals(json.at("/incomplete_details/reason").asText())
                        ? Answer.LENGTH
                        : "incomplete " + json.path("incomplete_details");
            } else if ("completed".equals(status)) {
                finish = calls.isEmpty() ? Answer.STOP : Answer.TOOL_CALLS;
            } else {
                finish = "unexpected status " + status;
            }
            JsonNode usage = json.path("usage");
            assertEquals(
                    usage.path("input_tokens").asLong()
                            + usage.path("output_tokens").asLong(),
                    usage.path("total_tokens").asLong(),
                    raw);
            return new Answer(
                    text.toString(),
                    calls,
                    finish,
                    usage.path("input_tokens").asLong(),
                    usage.path("output_tokens").asLong(),
                    raw);
        }

        @Override
        void assertError(Http.Reply r, int status) {
            CHAT.assertError(r, status);
        }

        @Override
        String streamError(Http.Reply r) throws IOException {
            String message = null;
            boolean failed = false;
            for (String[] e : events(r.body())) {
                JsonNode data = Http.JSON.readTree(e[1]);
                if ("error".equals(e[0])) {
                    message = data.path("message").asText();
                } else if ("response.failed".equals(e[0])) {
                    failed = "failed".equals(data.at("/response/status").asText());
                }
            }
            return failed ? message : null;
        }
    },

    ANTHROPIC {
        @Override
        Http.Reply send(String base, String key, String model, Conversation c, boolean stream) throws Exception {
            ObjectNode body =
                    object().put("model", model).put("max_tokens", c.maxTokens() == null ? 1024 : c.maxTokens());
            ArrayNode messages = body.putArray("messages");
            if (c.system() != null && c.turns().isEmpty()) {
                // 'messages' may not be empty: a lone system prompt is a system message, which Crossbar reads.
                messages.addObject().put("role", "system").put("content", c.system());
            } else if (c.system() != null) {
                body.put("system", c.system());
            }
            for (Conversation.Turn turn : c.turns()) {
                if (turn instanceof Conversation.User u) {
                    ObjectNode m = messages.addObject().put("role", "user");
                    if (u.image()) {
                        ArrayNode blocks = m.putArray("content");
                        blocks.addObject().put("type", "text").put("text", u.text());
                        blocks.addObject()
                                .put("type", "image")
                                .putObject("source")
                                .put("type", "base64")
                                .put("media_type", "image/png")
                                .put("data", Conversation.PNG);
                    } else {
                        m.put("content", u.text());
                    }
                } else if (turn instanceof Conversation.Assistant a) {
                    messages.addObject().put("role", "assistant").put("content", a.text());
                } else if (turn instanceof Conversation.Calls calls) {
                    ArrayNode blocks =
                            messages.addObject().put("role", "assistant").putArray("content");
                    for (Conversation.Call call : calls.calls()) {
                        blocks.addObject()
                                .put("type", "tool_use")
                                .put("id", call.id())
                                .put("name", call.name())
                                .set("input", json(call.argumentsJson()));
                    }
                } else if (turn instanceof Conversation.Results results) {
                    ArrayNode blocks = messages.addObject().put("role", "user").putArray("content");
                    for (Conversation.Result r : results.results()) {
                        blocks.addObject()
                                .put("type", "tool_result")
                                .put("tool_use_id", r.callId())
                                .put("content", r.content());
                    }
                }
            }
            if (!c.tools().isEmpty()) {
                ArrayNode tools = body.putArray("tools");
                for (String name : c.tools()) {
                    tools.addObject()
                            .put("name", name)
                            .put("description", "tool " + name)
                            .set("input_schema", schema());
                }
                if (c.toolsOff()) {
                    body.putObject("tool_choice").put("type", "none");
                }
            }
            if (c.temperature() != null) {
                body.put("temperature", c.temperature());
            }
            if (!c.stop().isEmpty()) {
                c.stop().forEach(body.putArray("stop_sequences")::add);
            }
            if (stream) {
                body.put("stream", true);
            }
            return Http.post(
                    base + "/v1/messages", body.toString(), "x-api-key", key, "anthropic-version", "2023-06-01");
        }

        @Override
        Answer read(Http.Reply r, boolean stream) throws IOException {
            assertEquals(200, r.status(), r.body());
            if (!stream) {
                JsonNode json = r.json();
                assertEquals("message", json.path("type").asText(), r.body());
                assertEquals("assistant", json.path("role").asText(), r.body());
                StringBuilder text = new StringBuilder();
                List<Conversation.Call> calls = new ArrayList<>();
                for (JsonNode block : json.path("content")) {
                    switch (block.path("type").asText()) {
                        case "text" -> {
                            assertFalse(block.path("text").asText().isEmpty(), "no empty text blocks: " + r.body());
                            text.append(block.path("text").asText());
                        }
                        case "tool_use" -> {
                            assertTrue(block.path("input").isObject(), r.body());
                            calls.add(new Conversation.Call(
                                    block.path("id").asText(null),
                                    block.path("name").asText(),
                                    block.path("input").toString()));
                        }
                        default -> fail("unexpected block " + block);
                    }
                }
                JsonNode usage = json.path("usage");
                return new Answer(
                        text.toString(),
                        calls,
                        finish(json.path("stop_reason").asText()),
                        usage.path("input_tokens").asLong(),
                        usage.path("output_tokens").asLong(),
                        r.body());
            }
            assertTrue(r.header("content-type").startsWith("text/event-stream"), r.header("content-type"));
            List<String[]> events = events(r.body());
            StringBuilder text = new StringBuilder();
            Map<Integer, String[]> blocks = new LinkedHashMap<>();
            Map<Integer, Integer> open = new LinkedHashMap<>();
            String stop = null;
            long input = -1;
            long output = -1;
            String previous = null;
            for (String[] e : events) {
                JsonNode data = Http.JSON.readTree(e[1]);
                assertEquals(e[0], data.path("type").asText(), "event name = data.type: " + e[1]);
                switch (e[0]) {
                    case "message_start" -> {
                        assertEquals(null, previous, "message_start comes first: " + r.body());
                        input = data.at("/message/usage/input_tokens").asLong();
                    }
                    case "content_block_start" -> {
                        int index = data.path("index").asInt();
                        assertFalse(open.containsKey(index), "block " + index + " opened twice: " + r.body());
                        open.put(index, index);
                        JsonNode block = data.path("content_block");
                        if ("tool_use".equals(block.path("type").asText())) {
                            blocks.put(index, new String[] {
                                block.path("id").asText(), block.path("name").asText(), ""
                            });
                        }
                    }
                    case "content_block_delta" -> {
                        int index = data.path("index").asInt();
                        assertTrue(open.containsKey(index), "delta for a block that is not open: " + r.body());
                        JsonNode delta = data.path("delta");
                        if ("text_delta".equals(delta.path("type").asText())) {
                            text.append(delta.path("text").asText());
                        } else if ("input_json_delta".equals(delta.path("type").asText())) {
                            blocks.get(index)[2] += delta.path("partial_json").asText();
                        }
                    }
                    case "content_block_stop" ->
                        assertTrue(open.remove(data.path("index").asInt()) != null, r.body());
                    case "message_delta" -> {
                        stop = data.at("/delta/stop_reason").asText();
                        output = data.at("/usage/output_tokens").asLong();
                        if (data.at("/usage/input_tokens").isNumber()) {
                            input = data.at("/usage/input_tokens").asLong();
                        }
                    }
                    case "message_stop", "ping" -> {}
                    default -> fail("unexpected event " + e[0] + ": " + r.body());
                }
                if (!"ping".equals(e[0])) {
                    previous = e[0];
                }
            }
            assertEquals("message_stop", previous, r.body());
            assertTrue(open.isEmpty(), "every block closed: " + r.body());
            List<Conversation.Call> calls = new ArrayList<>();
            for (String[] b : blocks.values()) {
                calls.add(new Conversation.Call(b[0], b[1], b[2].isEmpty() ? "{}" : b[2]));
            }
            return new Answer(text.toString(), calls, finish(stop), input, output, r.body());
        }

        private String finish(String reason) {
            return switch (reason) {
                case "end_turn", "stop_sequence" -> Answer.STOP;
                case "max_tokens" -> Answer.LENGTH;
                case "tool_use" -> Answer.TOOL_CALLS;
                default -> "unexpected stop_reason " + reason;
            };
        }

        @Override
        void assertError(Http.Reply r, int status) {
            assertEquals(status, r.status(), r.body());
            JsonNode json = r.json();
            assertEquals("error", json.path("type").asText(), r.body());
            assertTrue(json.at("/error/type").isTextual(), r.body());
            assertTrue(json.at("/error/message").isTextual(), r.body());
        }

        @Override
        String streamError(Http.Reply r) throws IOException {
            for (String[] e : events(r.body())) {
                if ("error".equals(e[0])) {
                    return Http.JSON.readTree(e[1]).at("/error/message").asText();
                }
            }
            return null;
        }
    },

    GEMINI {
        @Override
        Http.Reply send(String base, String key, String model, Conversation c, boolean stream) throws Exception {
            ObjectNode body = object();
            if (c.system() != null) {
                body.putObject("systemInstruction")
                        .putArray("parts")
                        .addObject()
                        .put("text", c.system());
            }
            ArrayNode contents = body.putArray("contents");
            for (Conversation.Turn turn : c.turns()) {
                if (turn instanceof Conversation.User u) {
                    ArrayNode parts = contents.addObject().put("role", "user").putArray("parts");
                    parts.addObject().put("text", u.text());
                    if (u.image()) {
                        parts.addObject()
                                .putObject("inlineData")
                                .put("mimeType", "image/png")
                                .put("data", Conversation.PNG);
                    }
                } else if (turn instanceof Conversation.Assistant a) {
                    contents.addObject()
                            .put("role", "model")
                            .putArray("parts")
                            .addObject()
                            .put("text", a.text());
                } else if (turn instanceof Conversation.Calls calls) {
                    // As most Gemini clients do: no ids, the results are matched by name.
                    ArrayNode parts = contents.addObject().put("role", "model").putArray("parts");
                    for (Conversation.Call call : calls.calls()) {
                        parts.addObject()
                                .putObject("functionCall")
                                .put("name", call.name())
                                .set("args", json(call.argumentsJson()));
                    }
                } else if (turn instanceof Conversation.Results results) {
                    ArrayNode parts = contents.addObject().put("role", "user").putArray("parts");
                    for (Conversation.Result r : results.results()) {
                        parts.addObject()
                                .putObject("functionResponse")
                                .put("name", r.name())
                                .putObject("response")
                                .put("result", r.content());
                    }
                }
            }
            if (!c.tools().isEmpty()) {
                ArrayNode decls = body.putArray("tools").addObject().putArray("functionDeclarations");
                for (String name : c.tools()) {
                    decls.addObject()
                            .put("name", name)
                            .put("description", "tool " + name)
                            .set("parameters", schema());
                }
                if (c.toolsOff()) {
                    body.putObject("toolConfig")
                            .putObject("functionCallingConfig")
                            .put("mode", "NONE");
                }
            }
            ObjectNode config = object();
            if (c.maxTokens() != null) {
                config.put("maxOutputTokens", c.maxTokens());
            }
            if (c.temperature() != null) {
                config.put("temperature", c.temperature());
            }
            if (!c.stop().isEmpty()) {
                c.stop().forEach(config.putArray("stopSequences")::add);
            }
            if (!config.isEmpty()) {
                body.set("generationConfig", config);
            }
            String method = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
            return Http.post(base + "/v1beta/models/" + model + method, body.toString(), "x-goog-api-key", key);
        }

        @Override
        Answer read(Http.Reply r, boolean stream) throws IOException {
            assertEquals(200, r.status(), r.body());
            List<JsonNode> chunks = new ArrayList<>();
            if (stream) {
                assertTrue(r.header("content-type").startsWith("text/event-stream"), r.header("content-type"));
                for (String d : r.sseData()) {
                    assertFalse("[DONE]".equals(d), "Gemini streams have no [DONE]");
                    chunks.add(Http.JSON.readTree(d));
                }
            } else {
                chunks.add(r.json());
            }
            StringBuilder text = new StringBuilder();
            List<Conversation.Call> calls = new ArrayList<>();
            String finish = null;
            for (JsonNode chunk : chunks) {
                assertFalse(chunk.has("error"), r.body());
                JsonNode candidate = chunk.at("/candidates/0");
                for (JsonNode part : candidate.at("/content/parts")) {
                    if (part.has("text") && !part.path("thought").asBoolean()) {
                        text.append(part.path("text").asText());
                    }
                    if (part.has("functionCall")) {
                        JsonNode fc = part.get("functionCall");
                        assertTrue(fc.path("args").isObject(), r.body());
                        calls.add(new Conversation.Call(
                                fc.path("id").asText(null),
                                fc.path("name").asText(),
                                fc.path("args").toString()));
                    }
                }
                if (candidate.hasNonNull("finishReason")) {
                    assertEquals(null, finish, "one finishReason only: " + r.body());
                    finish = candidate.get("finishReason").asText();
                }
            }
            JsonNode usage = chunks.get(chunks.size() - 1).path("usageMetadata");
            assertEquals(
                    usage.path("promptTokenCount").asLong()
                            + usage.path("candidatesTokenCount").asLong(),
                    usage.path("totalTokenCount").asLong(),
                    r.body());
            String canonical = switch (finish == null ? "none" : finish) {
                case "STOP" -> calls.isEmpty() ? Answer.STOP : Answer.TOOL_CALLS;
                case "MAX_TOKENS" -> Answer.LENGTH;
                default -> "unexpected finishReason " + finish;
            };
            return new Answer(
                    text.toString(),
                    calls,
                    canonical,
                    usage.path("promptTokenCount").asLong(),
                    usage.path("candidatesTokenCount").asLong(),
                    r.body());
        }

        @Override
        void assertError(Http.Reply r, int status) {
            assertEquals(status, r.status(), r.body());
            JsonNode error = r.json().path("error");
            assertEquals(status, error.path("code").asInt(), r.body());
            assertTrue(error.path("message").isTextual(), r.body());
            assertTrue(error.path("status").isTextual(), r.body());
        }

        @Override
        String streamError(Http.Reply r) throws IOException {
            for (String d : r.sseData()) {
                if (d.startsWith("{") && Http.JSON.readTree(d).has("error")) {
                    return Http.JSON.readTree(d).at("/error/message").asText();
                }
            }
            return null;
        }
    };

    /** Sends the conversation to {@code model}, plain or streamed. */
    abstract Http.Reply send(String base, String key, String model, Conversation c, boolean stream) throws Exception;

    /** Reads a successful answer, checking the protocol's shape on the way. */
    abstract Answer read(Http.Reply r, boolean stream) throws IOException;

    /** Checks a whole error reply: the status and the protocol's error body. */
    abstract void assertError(Http.Reply r, int status);

    /** The message of the protocol's in-stream error event, or null when the stream has none. */
    abstract String streamError(Http.Reply r) throws IOException;

    /**
     * An answer in protocol-neutral terms.
     *
     * @param finish {@link #STOP}, {@link #LENGTH} or {@link #TOOL_CALLS}, else a description of what came
     */
    record Answer(
            String text,
            List<Conversation.Call> calls,
            String finish,
            long inputTokens,
            long outputTokens,
            String raw) {
        static final String STOP = "stop";
        static final String LENGTH = "length";
        static final String TOOL_CALLS = "tool_calls";
    }

    static ObjectNode object() {
        return Http.JSON.createObjectNode();
    }

    static JsonNode schema() {
        return json(Conversation.TOOL_SCHEMA);
    }

    static JsonNode json(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** The SSE events of a body as {event name, data}; data-only events get the name "message". */
    static List<String[]> events(String body) {
        List<String[]> out = new ArrayList<>();
        for (String block : body.split("\n\n", -1)) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.lines().toList()) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "")
                            .append(line.substring(5).trim());
                }
            }
            if (data.length() > 0) {
                out.add(new String[] {name, data.toString()});
            }
        }
        return out;
    }
}
