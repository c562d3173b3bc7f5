package dev.crossbar.codecs.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generated JSON objects for the scans' properties, and their bytes as Jackson writes them. */
final class JsonDocuments {

    private JsonDocuments() {}

    /**
     * Objects nested up to {@code depth}, named from {@code names}, with values as requests and answers carry them;
     * {@code plain}: text that needs no escapes.
     */
    static Arbitrary<ObjectNode> objects(Arbitrary<String> names, int depth, boolean plain) {
        return Combinators.combine(names, value(names, depth, plain))
                .as(Member::new)
                .list()
                .ofMaxSize(7)
                .map(members -> {
                    ObjectNode o = Json.NODES.objectNode();
                    members.forEach(m -> o.set(m.name(), m.value()));
                    return o;
                });
    }

    static byte[] write(JsonNode doc, boolean pretty) throws Exception {
        return pretty
                ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc)
                : Json.MAPPER.writeValueAsBytes(doc);
    }

    private record Member(String name, JsonNode value) {}

    private static Arbitrary<JsonNode> value(Arbitrary<String> names, int depth, boolean plain) {
        Arbitrary<String> text = Arbitraries.strings()
                .ofMaxLength(12)
                .filter(s -> s.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE));
        if (plain) {
            text = text.filter(s -> s.chars().noneMatch(c -> c < 0x20 || c == '"' || c == '\\'));
        }
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                text.map(TextNode::valueOf),
                Arbitraries.integers().map(IntNode::valueOf),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.instance));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = value(names, depth - 1, plain)
                .list()
                .ofMaxSize(4)
                .map(values -> {
                    ArrayNode a = Json.NODES.arrayNode();
                    values.forEach(a::add);
                    return a;
                });
        return Arbitraries.frequencyOf(
                Tuple.of(4, leaf),
                Tuple.of(1, array),
                Tuple.of(1, objects(names, depth - 1, plain).map(JsonNode.class::cast)));
    }
}
