package dev.crossbar.codecs.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.CodecException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed generateContent request is a 400 that names the offending field. */
class GeminiBadInputTest {

    private static final String OK = "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]";
    private static final String BASE = "{" + OK;

    private final GeminiClientCodec codec = new GeminiClientCodec();

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("{}", "contents"),
                bad("{\"contents\":{}}", "contents"),
                bad(contents("\"hi\""), "contents[0]"),
                bad(contents("{\"role\":\"system\",\"parts\":[]}"), "contents[0].role"),
                bad(contents("{\"role\":\"user\"}"), "contents[0].parts"),
                bad(part("{}"), "contents[0].parts[0]"),
                bad(part("\"text\""), "contents[0].parts[0]"),
                bad(part("{\"text\":5}"), "contents[0].parts[0].text"),
                bad(
                        part("{\"executableCode\":{\"language\":\"PYTHON\",\"code\":\"1\"}}"),
                        "contents[0].parts[0].executableCode"),
                bad(
                        part("{\"inlineData\":{\"mimeType\":\"audio/wav\",\"data\":\"x\"}}"),
                        "contents[0].parts[0].inlineData.mimeType"),
                bad(part("{\"inlineData\":{\"mimeType\":\"image/png\"}}"), "contents[0].parts[0].inlineData.data"),
                bad(part("{\"inlineData\":{\"data\":\"x\"}}"), "contents[0].parts[0].inlineData.mimeType"),
                bad(part("{\"inlineData\":\"x\"}"), "contents[0].parts[0].inlineData"),
                bad(part("{\"fileData\":{\"mimeType\":\"image/png\"}}"), "contents[0].parts[0].fileData.fileUri"),
                bad(
                        part("{\"fileData\":{\"mimeType\":\"application/pdf\",\"fileUri\":\"u\"}}"),
                        "contents[0].parts[0].fileData.mimeType"),
                bad(part("{\"functionCall\":{\"name\":\"f\"}}"), "contents[0].parts[0].functionCall"),
                bad(model("{\"functionCall\":{\"args\":{}}}"), "contents[0].parts[0].functionCall.name"),
                bad(
                        model("{\"functionCall\":{\"name\":\"f\",\"args\":[1]}}"),
                        "contents[0].parts[0].functionCall.args"),
                bad(model("{\"functionCall\":\"f\"}"), "contents[0].parts[0].functionCall"),
                bad(
                        model("{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"x\"}}"),
                        "contents[0].parts[0].inlineData"),
                bad(model("{\"text\":\"t\",\"thoughtSignature\":5}"), "contents[0].parts[0].thoughtSignature"),
                bad(part("{\"functionResponse\":{\"response\":{}}}"), "contents[0].parts[0].functionResponse.name"),
                bad(
                        part("{\"functionResponse\":{\"name\":\"f\",\"response\":\"ok\"}}"),
                        "contents[0].parts[0].functionResponse.response"),
                bad(
                        "{\"systemInstruction\":{\"parts\":[{\"inlineData\":{}}]}," + OK + "}",
                        "systemInstruction.parts[0].text"),
                bad("{\"systemInstruction\":{}," + OK + "}", "systemInstruction.parts"),
                bad("{\"systemInstruction\":\"be nice\"," + OK + "}", "systemInstruction"),
                bad(
                        BASE + ",\"tools\":[{\"functionDeclarations\":[{\"description\":\"d\"}]}]}",
                        "tools[0].functionDeclarations[0].name"),
                bad(
                        BASE + ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"n\",\"parameters\":\"x\"}]}]}",
                        "tools[0].functionDeclarations[0].parameters"),
                bad(BASE + ",\"tools\":[{\"functionDeclarations\":{}}]}", "tools[0].functionDeclarations"),
                bad(
                        BASE + ",\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"SOMETIMES\"}}}",
                        "toolConfig.functionCallingConfig.mode"),
                bad(
                        BASE
                                + ",\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":\"f\"}}}",
                        "toolConfig.functionCallingConfig.allowedFunctionNames"),
                bad(BASE + ",\"generationConfig\":{\"candidateCount\":2}}", "generationConfig.candidateCount"),
                bad(BASE + ",\"generationConfig\":{\"maxOutputTokens\":\"many\"}}", "generationConfig.maxOutputTokens"),
                // Regression: a negative cap passed, and the gateway reserved negative tokens for it.
                bad(BASE + ",\"generationConfig\":{\"maxOutputTokens\":-5}}", "generationConfig.maxOutputTokens"),
                bad(BASE + ",\"generationConfig\":{\"maxOutputTokens\":0}}", "generationConfig.maxOutputTokens"),
                bad(BASE + ",\"generationConfig\":{\"temperature\":\"hot\"}}", "generationConfig.temperature"),
                bad(BASE + ",\"generationConfig\":{\"stopSequences\":[1]}}", "generationConfig.stopSequences[0]"),
                bad(
                        BASE + ",\"generationConfig\":{\"responseMimeType\":\"text/x.enum\"}}",
                        "generationConfig.responseMimeType"),
                bad(
                        BASE + ",\"generationConfig\":{\"responseSchema\":{\"type\":\"OBJECT\"}}}",
                        "generationConfig.responseMimeType"),
                bad(
                        BASE + ",\"generationConfig\":{\"thinkingConfig\":{\"thinkingBudget\":\"big\"}}}",
                        "generationConfig.thinkingConfig.thinkingBudget"),
                bad(BASE + ",\"cachedContent\":\"cachedContents/abc\"}", "cachedContent"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badRequests")
    void shouldRejectMalformedRequestWith400NamingTheField(String body, String param) throws Exception {
        CodecException e = assertThrows(
                CodecException.class, () -> codec.decodeRequest(Json.MAPPER.readTree(body), "gemini-2.5-flash", false));
        assertEquals(400, e.error().status());
        assertEquals(param, e.error().param());
        assertTrue(e.getMessage().contains(param), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void shouldRequireAModelWhenThePathHasNone() throws Exception {
        CodecException e = assertThrows(
                CodecException.class, () -> codec.decodeRequest(Json.MAPPER.readTree(BASE + "}"), null, false));
        assertEquals("model", e.error().param());
    }

    private static Arguments bad(String body, String param) {
        return Arguments.of(body, param);
    }

    private static String contents(String content) {
        return "{\"contents\":[" + content + "]}";
    }

    private static String part(String part) {
        return contents("{\"role\":\"user\",\"parts\":[" + part + "]}");
    }

    private static String model(String part) {
        return contents("{\"role\":\"model\",\"parts\":[" + part + "]}");
    }
}
