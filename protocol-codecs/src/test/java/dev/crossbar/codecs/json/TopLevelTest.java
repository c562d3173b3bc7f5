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
