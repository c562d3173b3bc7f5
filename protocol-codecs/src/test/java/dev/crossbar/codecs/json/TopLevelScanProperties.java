package dev.crossbar.codecs.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.model.CodecException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The top-level scan against Jackson's tree on generated documents: the same member, the same model
 * splice, and never a usage read from a document that is not whole.
 */
class TopLevelScanProperties {

    private static final List<String> NAMES = List.of(
            "model", "usage", "choices", "id", "a", "ünï", "q\"uote", "back\\slash", "usageMetadata", "content");

    @Property(tries = 400)
    void readsEveryTopLevelMemberAsJacksonDoes(@ForAll("documents") ObjectNode doc, @ForAll boolean pretty)
            throws Exception {
        byte[] body = JsonDocuments.write(doc, pretty);
        JsonNode read = Json.MAPPER.readTree(body);
        for (String name : NAMES) {
            JsonNode expected = read.get(name);
            JsonNode got = TopLevelScan.member(body, name, null);
            if (expected == null || expected.isNull()) {
                assertTrue(got.isMissingNode(), name + " in " + new String(body, UTF_8));
            } else {
                assertEquals(expected, got, name + " in " + new String(body, UTF_8));
            }
        }
        assertThrows(CodecException.class, () -> TopLevelScan.member(body, "usage", "not-there"));
    }

    @Property(tries = 400)
    void splicesTheModelAsATreeRewriteWould(
            @ForAll("documents") ObjectNode doc, @ForAll boolean pretty, @ForAll String model) throws Exception {
        byte[] body = JsonDocuments.write(doc, pretty);
        byte[] spliced = TopLevelScan.withModel(body, model);
        ModelSpan span = TopLevel.read(body, Set.of("model")).model();
        if (doc.path("model").isTextual()) {
            ObjectNode expected = ((ObjectNode) Json.MAPPER.readTree(body)).put("model", model);
            assertEquals(expected, Json.MAPPER.readTree(spliced));
            assertArrayEquals(spliced, span.splice(body, model), "intake's span splices the same bytes");
        } else {
            assertNull(spliced);
            assertNull(span);
        }
    }

    @Property(tries = 200)
    void neverAnswersFromAPartOfADocument(@ForAll("documents") ObjectNode doc, @ForAll boolean pretty)
            throws Exception {
        byte[] body = JsonDocuments.write(doc, pretty);
        for (int cut = 0; cut < body.length; cut++) {
            byte[] part = Arrays.copyOf(body, cut);
            if (new String(part, UTF_8).isBlank()) {
                continue;
            }
            assertThrows(CodecException.class, () -> TopLevelScan.member(part, "usage", null), new String(part, UTF_8));
        }
    }

    /** Jackson's check of the whole document, trailing bytes included, is the reference. */
    @Property(tries = 1000)
    void agreesWithJacksonOnADamagedDocumentJacksonAccepts(
            @ForAll("documents") ObjectNode doc, @ForAll("positions") double where, @ForAll("damage") byte replacement)
            throws Exception {
        byte[] body = JsonDocuments.write(doc, false);
        byte[] damaged = body.clone();
        damaged[(int) (where * (damaged.length - 1))] = replacement;
        JsonNode parsed;
        try {
            parsed = Json.MAPPER
                    .reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(damaged);
        } catch (Exception notJson) {
            return;
        }
        if (parsed == null || !parsed.isObject() || parsed.has("error")) {
            return;
        }
        for (String name : NAMES) {
            JsonNode expected = parsed.get(name);
            JsonNode got = TopLevelScan.member(damaged, name, null);
            assertEquals(
                    expected == null || expected.isNull() ? null : expected,
                    got.isMissingNode() ? null : got,
                    name + " in " + new String(damaged, UTF_8));
        }
    }

    @Provide
    Arbitrary<ObjectNode> documents() {
        Arbitrary<String> names =
                Arbitraries.oneOf(Arbitraries.of(NAMES), Arbitraries.strings().ofMaxLength(6));
        return JsonDocuments.objects(names, 3, false).map(doc -> {
            doc.remove("error");
            return doc;
        });
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<Byte> damage() {
        return Arbitraries.of(
                (byte) '{',
                (byte) '}',
                (byte) '[',
                (byte) ']',
                (byte) '"',
                (byte) ',',
                (byte) ':',
                (byte) '\\',
                (byte) ' ',
                (byte) '0',
                (byte) '-',
                (byte) 'e',
                (byte) 't',
                (byte) 'x',
                (byte) 0x01);
    }
}
