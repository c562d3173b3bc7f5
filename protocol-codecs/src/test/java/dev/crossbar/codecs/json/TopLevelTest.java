package dev.crossbar.codecs.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crossbar.codecs.model.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopLevelTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldBuildOnlyTheWantedMembersAndNameThemAll() {
        TopLevel top = TopLevel.read(
                bytes("{\"model\":\"m\",\"messages\":[{\"x\":{\"model\":1}}],\"stream\":true,\"future\":null}"),
                Set.of("model", "stream", "max_tokens"));
        assertEquals("{\"model\":\"m\",\"stream\":true}", top.members().toString());
        assertEquals(List.of("model", "messages", "stream", "future"), top.names());
    }

    @Test
    void shouldFindTheOneModelStringSoThePassThroughNeedNotParseAgain() {
        byte[] body = bytes("{\"messages\":[{\"model\":\"inner\"}], \"model\" : \"g\\u00e9\" ,\"n\":1}");
        TopLevel top = TopLevel.read(body, Set.of("model"));
        byte[] spliced = PassThroughBody.withModel(body, "gé", "up\"model", top.model());
        assertEquals(
                "{\"messages\":[{\"model\":\"inner\"}], \"model\" : \"up\\\"model\" ,\"n\":1}",
                new String(spliced, StandardCharsets.UTF_8));
        assertEquals(
                new String(TopLevelScan.withModel(body, "up\"model"), StandardCharsets.UTF_8),
                new String(spliced, StandardCharsets.UTF_8));
        assertEquals(null, top.model().splice(body.clone(), "x"), "a span holds for its own array only");
        for (String none : List.of("{\"model\":\"a\",\"model\":\"b\"}", "{\"model\":1}", "{\"a\":\"model\"}")) {
            assertEquals(null, TopLevel.read(bytes(none), Set.of("model")).model(), none);
        }
    }

    @Test
    void shouldKeepTheLastOfARepeatedMemberAsTheTreeDoes() {
        TopLevel top = TopLevel.read(bytes("{\"model\":\"a\",\"model\":\"b\"}"), Set.of("model"));
        assertEquals("b", top.members().get("model").textValue());
        assertEquals(List.of("model", "model"), top.names());
    }

    @Test
    void shouldRefuseWhatIsNotOneJsonObjectAsTheParserDoes() {
        for (String bad : List.of("[]", "{\"a\":[1,}", "{\"a\":1} {}", "{\"a\":1", "", "\"s\"")) {
            CodecException e = assertThrows(CodecException.class, () -> TopLevel.read(bytes(bad), Set.of("a")), bad);
            assertEquals(400, e.error().status(), bad);
        }
    }

    @Test
    void shouldRefuseNestingDeeperThanTheLimitEvenInASkippedMember() {
        String deep =
                "{\"skipped\":" + "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1) + "}";
        assertThrows(CodecException.class, () -> TopLevel.read(bytes(deep), Set.of("model")));
    }
}
