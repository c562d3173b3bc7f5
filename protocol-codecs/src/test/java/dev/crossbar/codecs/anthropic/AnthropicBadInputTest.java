package dev.crossbar.codecs.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.CodecException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed Messages request is a 400 that names the offending field. */
class AnthropicBadInputTest {

    private static final String OK_MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static final String BASE = "{\"model\":\"m\",\"max_tokens\":10," + OK_MESSAGES;

    private final AnthropicClientCodec codec = new AnthropicClientCodec();

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("{\"model\":\"m\"," + OK_MESSAGES + "}", "max_tokens"),
                bad("{\"model\":\"m\",\"max_tokens\":0," + OK_MESSAGES + "}", "max_tokens"),
                bad("{\"model\":\"m\",\"max_tokens\":\"10\"," + OK_MESSAGES + "}", "max_tokens"),
                bad("{\"max_tokens\":10," + OK_MESSAGES + "}", "model"),
                bad("{\"model\":\"m\",\"max_tokens\":10}", "messages"),
                bad("{\"model\":\"m\",\"max_tokens\":10,\"messages\":{}}", "messages"),
                bad(msg("\"hi\""), "messages[0]"),
                bad(msg("{\"role\":\"robot\",\"content\":\"x\"}"), "messages[0].role"),
                bad(msg("{\"content\":\"x\"}"), "messages[0].role"),
                bad(msg("{\"role\":\"user\"}"), "messages[0].content"),
                bad(msg("{\"role\":\"user\",\"content\":5}"), "messages[0].content"),
                bad(user("{\"type\":\"audio\"}"), "messages[0].content[0].type"),
                bad(user("{\"text\":\"no type\"}"), "messages[0].content[0].type"),
                bad(user("\"plain string\""), "messages[0].content[0]"),
                bad(user("{\"type\":\"text\"}"), "messages[0].content[0].text"),
                bad(user("{\"type\":\"text\",\"text\":1}"), "messages[0].content[0].text"),
                bad(user("{\"type\":\"image\"}"), "messages[0].content[0].source"),
                bad(
                        user("{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\"}}"),
                        "messages[0].content[0].source.data"),
                bad(
                        user("{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"x\"}}"),
                        "messages[0].content[0].source.media_type"),
                bad(user("{\"type\":\"image\",\"source\":{\"type\":\"url\"}}"), "messages[0].content[0].source.url"),
                bad(
                        user("{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"f\"}}"),
                        "messages[0].content[0].source.type"),
                bad(user("{\"type\":\"document\",\"source\":{}}"), "messages[0].content[0].type"),
                bad(
                        user("{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":{}}"),
                        "messages[0].content[0].type"),
                bad(user("{\"type\":\"tool_result\"}"), "messages[0].content[0].tool_use_id"),
                bad(
                        user("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"is_error\":\"yes\"}"),
                        "messages[0].content[0].is_error"),
                bad(
                        user("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"text\"}]}"),
                        "messages[0].content[0].content[0].text"),
                bad(
                        user(
                                "{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"search_result\"}]}"),
                        "messages[0].content[0].content[0]"),
                bad(
                        user("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":7}"),
                        "messages[0].content[0].content"),
                bad(
                        assistant("{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":[1]}"),
                        "messages[0].content[0].input"),
                bad(assistant("{\"type\":\"tool_use\",\"name\":\"n\",\"input\":{}}"), "messages[0].content[0].id"),
                bad(assistant("{\"type\":\"tool_use\",\"id\":\"t\",\"input\":{}}"), "messages[0].content[0].name"),
                bad(assistant("{\"type\":\"thinking\",\"signature\":\"s\"}"), "messages[0].content[0].thinking"),
                bad(
                        assistant("{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":5}"),
                        "messages[0].content[0].signature"),
                bad(assistant("{\"type\":\"redacted_thinking\"}"), "messages[0].content[0].data"),
                bad(
                        assistant("{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"u\"}}"),
                        "messages[0].content[0].type"),
                bad(msg("{\"role\":\"system\",\"content\":[{\"type\":\"image\"}]}"), "messages[0].content[0]"),
                bad(BASE + ",\"system\":5}", "system"),
                bad(BASE + ",\"system\":[{\"type\":\"image\"}]}", "system[0]"),
                bad(BASE + ",\"system\":[{\"type\":\"text\"}]}", "system[0].text"),
                bad(BASE + ",\"stop_sequences\":\"x\"}", "stop_sequences"),
                bad(BASE + ",\"stop_sequences\":[\"a\",2]}", "stop_sequences[1]"),
                bad(BASE + ",\"temperature\":\"hot\"}", "temperature"),
                bad(BASE + ",\"top_p\":true}", "top_p"),
                bad(BASE + ",\"top_k\":1.5}", "top_k"),
                bad(BASE + ",\"stream\":\"yes\"}", "stream"),
                bad(BASE + ",\"tools\":{}}", "tools"),
                bad(BASE + ",\"tools\":[{\"type\":5,\"name\":\"web_search\"}]}", "tools[0].type"),
                bad(BASE + ",\"tools\":[{\"input_schema\":{}}]}", "tools[0].name"),
                bad(BASE + ",\"tools\":[{\"name\":\"n\"}]}", "tools[0].input_schema"),
                bad(
                        BASE + ",\"tools\":[{\"name\":\"n\",\"input_schema\":{},\"description\":3}]}",
                        "tools[0].description"),
                bad(BASE + ",\"tool_choice\":\"auto\"}", "tool_choice"),
                bad(BASE + ",\"tool_choice\":{\"type\":\"sometimes\"}}", "tool_choice.type"),
                bad(BASE + ",\"tool_choice\":{\"type\":\"tool\"}}", "tool_choice.name"),
                bad(
                        BASE + ",\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":\"no\"}}",
                        "tool_choice.disable_parallel_tool_use"),
                bad(BASE + ",\"thinking\":{\"type\":\"enabled\"}}", "thinking.budget_tokens"),
                bad(BASE + ",\"thinking\":{\"type\":\"deep\"}}", "thinking.type"),
                bad(BASE + ",\"metadata\":{\"user_id\":42}}", "metadata.user_id"),
                bad(BASE + ",\"output_config\":{\"format\":{\"type\":\"text\"}}}", "output_config.format.type"),
                bad(BASE + ",\"output_format\":{\"type\":\"json_schema\"}}", "output_format.schema"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badRequests")
    void shouldRejectMalformedRequestWith400NamingTheField(String body, String param) throws Exception {
        CodecException e =
                assertThrows(CodecException.class, () -> codec.decodeRequest(Json.MAPPER.readTree(body), null, false));
        assertEquals(400, e.error().status());
        assertEquals(param, e.error().param());
        assertTrue(e.getMessage().contains(param), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notObjects")
    void shouldRejectABodyThatIsNotAnObject(String body) throws Exception {
        CodecException e =
                assertThrows(CodecException.class, () -> codec.decodeRequest(Json.MAPPER.readTree(body), null, false));
        assertEquals(400, e.error().status());
    }

    static Stream<String> notObjects() {
        return Stream.of("[]", "\"x\"", "42", "null");
    }

    private static Arguments bad(String body, String param) {
        return Arguments.of(body, param);
    }

    private static String msg(String message) {
        return "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[" + message + "]}";
    }

    private static String user(String block) {
        return msg("{\"role\":\"user\",\"content\":[" + block + "]}");
    }

    private static String assistant(String block) {
        return msg("{\"role\":\"assistant\",\"content\":[" + block + "]}");
    }
}
