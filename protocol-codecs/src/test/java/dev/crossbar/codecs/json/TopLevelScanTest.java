package dev.crossbar.codecs.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.CodecException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TopLevelScanTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldReadOneMemberAndCheckTheRequiredOne() {
        var usage = TopLevelScan.member(bytes("""
                {"id":"x","choices":[{"message":{"usage":"not this one"}}],"usage":{"prompt_tokens":3}}"""), "usage", "choices");
        assertEquals(3, usage.get("prompt_tokens").asInt());
        assertTrue(TopLevelScan.member(bytes("{\"choices\":[]}"), "usage", "choices")
                .isMissingNode());
    }

    @Test
    void shouldRefuseWhatIsNotAnAnswer() {
        assertThrows(CodecException.class, () -> TopLevelScan.member(bytes("{\"usage\":{}}"), "usage", "choices"));
        assertThrows(
                CodecException.class,
                () -> TopLevelScan.member(bytes("{\"error\":{},\"choices\":[]}"), "usage", "choices"));
        assertThrows(CodecException.class, () -> TopLevelScan.member(bytes("<html>"), "usage", "choices"));
        assertThrows(CodecException.class, () -> TopLevelScan.member(bytes("{\"choices\":[1,"), "usage", "choices"));
        assertThrows(CodecException.class, () -> TopLevelScan.member(bytes("[]"), "usage", null));
    }

    @Test
    void shouldReplaceOnlyTheTopLevelModel() {
        String body = "{ \"messages\":[{\"model\":\"inner\"}], \"model\" : \"client-name\",\"x\":1}";
        assertEquals(
                "{ \"messages\":[{\"model\":\"inner\"}], \"model\" : \"gpt-\\\"q\\\"é\",\"x\":1}",
                new String(TopLevelScan.withModel(bytes(body), "gpt-\"q\"é"), StandardCharsets.UTF_8));
        assertNull(TopLevelScan.withModel(bytes("{\"model\":5}"), "m"));
        assertNull(TopLevelScan.withModel(bytes("{\"other\":1}"), "m"));
    }

    /** Regression: a repeated model was spliced at the first, while the request was routed by the last. */
    @Test
    void shouldLeaveARepeatedModelToTheTreeRewrite() {
        assertNull(TopLevelScan.withModel(bytes("{\"model\":\"a\",\"x\":1,\"model\":\"b\"}"), "m"));
        assertNull(TopLevelScan.withModel(bytes("{\"model\":\"a\",\"model\":null}"), "m"));
    }

    @Test
    void shouldAddAMemberLastKeepingEveryByteBeforeIt() {
        assertEquals(
                "{\"model\":\"m\",\n \"stream\":true,\"s\":{\"a\":1}\n}  ",
                new String(
                        TopLevelScan.withMemberAdded(
                                bytes("{\"model\":\"m\",\n \"stream\":true\n}  "), "\"s\":{\"a\":1}"),
                        StandardCharsets.UTF_8));
        assertEquals(
                "{\"s\":1 }",
                new String(TopLevelScan.withMemberAdded(bytes("{ }"), "\"s\":1"), StandardCharsets.UTF_8));
        assertNull(TopLevelScan.withMemberAdded(bytes("[1]"), "\"s\":1"));
    }

    @Property(tries = 300)
    void replacingTheModelKeepsEverythingElse(@ForAll String before, @ForAll String model, @ForAll String after)
            throws Exception {
        var tree = Json.NODES.objectNode().put("a", before).put("model", "old").put("b", after);
        byte[] body = Json.bytes(tree);
        byte[] replaced = TopLevelScan.withModel(body, model);
        tree.put("model", model);
        assertEquals(tree, Json.MAPPER.readTree(replaced));
    }

    @Test
    void shouldRemoveNamedMembersKeepingTheOthersBytes() {
        String body = "{ \"a\":1, \"b\" : {\"a\":2},\"c\":\"x\",\"a\":[3] }";
        assertEquals(
                "{ \"b\" : {\"a\":2},\"c\":\"x\" }",
                new String(TopLevelScan.withoutMembers(bytes(body), java.util.Set.of("a")), StandardCharsets.UTF_8));
        assertEquals(
                "{}",
                new String(
                        TopLevelScan.withoutMembers(bytes("{\"a\":null}"), java.util.Set.of("a")),
                        StandardCharsets.UTF_8));
        byte[] none = bytes(body);
        assertTrue(
                none == TopLevelScan.withoutMembers(none, java.util.Set.of("z")), "nothing to remove: the same array");
    }
}
