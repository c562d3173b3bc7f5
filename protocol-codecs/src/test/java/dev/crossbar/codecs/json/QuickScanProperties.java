package dev.crossbar.codecs.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.model.CodecException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.jspecify.annotations.Nullable;

/**
 * {@link QuickScan} against Jackson, its oracle: on any bytes it either declines or reads what Jackson reads (the
 * same members, names, model span and usage), never accepts what Jackson refuses; and it does not decline the plain
 * documents requests and answers are, or the gateway would pay for both readers.
 */
class QuickScanProperties {

    private static final Set<String> WANTED = Set.of("model", "stream", "max_tokens", "stream_options", "usage");
    private static final List<String> NAMES = List.of(
            "model", "stream", "max_tokens", "stream_options", "usage", "choices", "messages", "ünï", "a", "error");

    @Property(tries = 500)
    void readsPlainDocumentsAsJacksonDoes(@ForAll("plainDocuments") ObjectNode doc, @ForAll boolean pretty)
            throws Exception {
        byte[] body = JsonDocuments.write(doc, pretty);
        TopLevel quick = QuickScan.topLevel(body, WANTED);
        assertNotNull(quick, () -> "declined " + new String(body, UTF_8));
        assertSame(TopLevel.readWithJackson(body, WANTED), quick, body);
        if (!doc.has("error")) {
            for (String name : NAMES) {
                JsonNode got = QuickScan.member(body, 0, body.length, name, null);
                assertNotNull(got, () -> "declined " + name + " in " + new String(body, UTF_8));
                assertEquals(TopLevelScan.memberWithJackson(body, 0, body.length, name, null), got);
            }
        }
    }

    @Property(tries = 3000)
    void agreesWithJacksonOrDeclinesOnDamagedBytes(
            @ForAll("plainDocuments") ObjectNode doc,
            @ForAll("damages") List<Tuple.Tuple2<Double, Byte>> damages,
            @ForAll("cuts") double cut)
            throws Exception {
        byte[] damaged = damaged(doc, damages, cut);
        TopLevel quick = QuickScan.topLevel(damaged, WANTED);
        TopLevel jackson = orNull(() -> TopLevel.readWithJackson(damaged, WANTED));
        if (quick != null) {
            assertNotNull(jackson, () -> "accepted what Jackson refuses: " + new String(damaged, UTF_8));
            assertSame(jackson, quick, damaged);
        }
        for (String name : List.of("usage", "model", "ünï")) {
            JsonNode quickMember = QuickScan.member(damaged, 0, damaged.length, name, "choices");
            if (quickMember != null) {
                assertEquals(
                        orNull(() -> TopLevelScan.memberWithJackson(damaged, 0, damaged.length, name, "choices")),
                        quickMember,
                        () -> name + " in " + new String(damaged, UTF_8));
            }
        }
    }

    /**
     * The members' spans name what Jackson's tree has, in order: each name's text, and a value whose bytes Jackson
     * reads as the tree's value; on damaged bytes, spans only where Jackson reads the object.
     */
    @Property(tries = 1000)
    void spansTheMembersJacksonReads(
            @ForAll("plainDocuments") ObjectNode doc,
            @ForAll boolean pretty,
            @ForAll("damages") List<Tuple.Tuple2<Double, Byte>> damages,
            @ForAll("cuts") double cut)
            throws Exception {
        byte[] body = JsonDocuments.write(doc, pretty);
        int[] spans = TopLevelScan.memberSpans(body, 0, body.length);
        assertNotNull(spans, () -> "declined " + new String(body, UTF_8));
        assertEquals(Json.MAPPER.readTree(body), spanned(body, spans));
        byte[] damaged = damaged(doc, damages, cut);
        int[] damagedSpans = TopLevelScan.memberSpans(damaged, 0, damaged.length);
        if (damagedSpans != null) {
            assertEquals(
                    orNull(() -> Json.MAPPER.readTree(damaged)),
                    spanned(damaged, damagedSpans),
                    () -> new String(damaged, UTF_8));
        }
    }

    /** The object the spans say: each name's text, each value's bytes read by Jackson. */
    private static ObjectNode spanned(byte[] bytes, int[] spans) throws IOException {
        ObjectNode read = Json.NODES.objectNode();
        for (int k = 0; k < spans.length; k += 4) {
            assertEquals('"', bytes[spans[k + 1]]);
            read.set(
                    new String(bytes, spans[k], spans[k + 1] - spans[k], UTF_8),
                    Json.MAPPER.readTree(Arrays.copyOfRange(bytes, spans[k + 2], spans[k + 3])));
        }
        return read;
    }

    @Property(tries = 300)
    void readsOnlyItsPartOfTheArray(@ForAll("plainDocuments") ObjectNode doc, @ForAll("cuts") double cut)
            throws Exception {
        byte[] body = JsonDocuments.write(doc, false);
        byte[] framed = new byte[body.length + 20];
        Arrays.fill(framed, (byte) '}');
        System.arraycopy(body, 0, framed, 10, body.length);
        int length = Math.max(1, (int) (cut * body.length));
        for (String name : List.of("usage", "model")) {
            JsonNode quick = QuickScan.member(framed, 10, length, name, null);
            if (length == body.length && !doc.has("error")) {
                assertNotNull(quick, () -> "declined " + name + " in " + new String(body, UTF_8));
            }
            if (quick != null) {
                assertEquals(TopLevelScan.memberWithJackson(framed, 10, length, name, null), quick);
            }
        }
    }

    @Property(tries = 500)
    void readsWholeObjectsAsJacksonDoes(@ForAll("escapedDocuments") ObjectNode doc, @ForAll boolean pretty)
            throws Exception {
        byte[] body = JsonDocuments.write(doc, pretty);
        JsonNode quick = QuickScan.object(body, 0, body.length);
        assertNotNull(quick, () -> "declined " + new String(body, UTF_8));
        assertEquals(Json.MAPPER.readTree(body), quick, () -> new String(body, UTF_8));
    }

    @Property(tries = 2000)
    void wholeObjectsAgreeWithJacksonOrDecline(
            @ForAll("escapedDocuments") ObjectNode doc,
            @ForAll("damages") List<Tuple.Tuple2<Double, Byte>> damages,
            @ForAll("cuts") double cut)
            throws Exception {
        byte[] damaged = damaged(doc, damages, cut);
        JsonNode quick = QuickScan.object(damaged, 0, damaged.length);
        if (quick != null) {
            assertEquals(
                    orNull(() -> Json.MAPPER.readTree(damaged)),
                    quick,
                    () -> "read otherwise than Jackson: " + new String(damaged, UTF_8));
        }
    }

    @Example
    void resolvesEscapesAsJacksonDoes() throws Exception {
        byte[] body = "{\"a\":\"x\\n\\t\\\"\\\\\\/\\b\\f\\r\\u00e9\\ud83d\\ude00 é\\ud800!\",\"b\":[\"\\\"\"]}"
                .getBytes(UTF_8);
        JsonNode quick = QuickScan.object(body, 0, body.length);
        assertNotNull(quick);
        assertEquals(Json.MAPPER.readTree(body), quick);
        assertEquals("x\n\t\"\\/\b\f\ré\ud83d\ude00 é\ud800!", quick.get("a").textValue());
    }

    @Example
    void leavesToJacksonWhatItMustJudge() {
        for (String refused : List.of(
                "{\"a\":01}",
                "{\"a\":1.}",
                "{\"a\":-}",
                "{\"a\":+1}",
                "{\"a\":.5}",
                "{\"a\":1e}",
                "{\"a\":tru}",
                "{\"a\":nul}",
                "{\"a\":[1,]}",
                "{\"a\":[1}}",
                "{\"a\":{\"b\":1]}",
                "{\"a\":1,}",
                "{,}",
                "{\"a\" 1}",
                "{\"a\":\"\\x\"}",
                "{\"a\":\"\\u12g4\"}",
                "{\"a\":\"\u0001\"}",
                "{\"a\":1} x",
                "{\"a\":1}{}",
                "[]",
                "",
                "  ",
                "{\"a\":NaN}",
                "{'a':1}",
                "{\"a\":1 // note\n}",
                "\uFEFF{\"a\":1}",
                "{\"m\\u006fdel\":\"x\"}",
                "{\"max_tokens\":1" + "0".repeat(100) + "}")) {
            byte[] body = refused.getBytes(UTF_8);
            assertNull(QuickScan.topLevel(body, WANTED), refused);
        }
        byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0x80, '"', '}'};
        assertNull(QuickScan.topLevel(invalidUtf8, WANTED));
        byte[] surrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'};
        assertNull(QuickScan.topLevel(surrogate, WANTED));
        String deep = "{\"a\":" + "[".repeat(QuickScan.MAX_DEPTH) + "]".repeat(QuickScan.MAX_DEPTH) + "}";
        assertNull(QuickScan.topLevel(deep.getBytes(UTF_8), WANTED));
        byte[] answerWithError = "{\"choices\":[],\"error\":{}}".getBytes(UTF_8);
        assertNull(QuickScan.member(answerWithError, 0, answerWithError.length, "usage", "choices"));
        byte[] withoutChoices = "{\"usage\":{}}".getBytes(UTF_8);
        assertNull(QuickScan.member(withoutChoices, 0, withoutChoices.length, "usage", "choices"));
    }

    @Example
    void readsNumbersAsJacksonTypesThem() throws Exception {
        String body = "{\"max_tokens\":2147483647,\"stream\":-2147483649,\"usage\":[0,-0,1e3,-1.5E-3,"
                + "123456789012345678,-9223372036854775808,12345678901234567890,1e400,5e-324,-0.0],\"model\":\"é\\\"\"}";
        byte[] bytes = body.getBytes(UTF_8);
        TopLevel quick = QuickScan.topLevel(bytes, Set.of("max_tokens", "stream", "usage"));
        assertNotNull(quick);
        assertEquals(IntNode.valueOf(Integer.MAX_VALUE), quick.members().get("max_tokens"));
        assertEquals(LongNode.valueOf(-2147483649L), quick.members().get("stream"));
        assertSame(TopLevel.readWithJackson(bytes, Set.of("max_tokens", "stream", "usage")), quick, bytes);
    }

    /** {@code doc}'s bytes with {@code damages} (where, as a fraction of its length, and the byte put there), cut. */
    private static byte[] damaged(ObjectNode doc, List<Tuple.Tuple2<Double, Byte>> damages, double cut)
            throws Exception {
        byte[] body = JsonDocuments.write(doc, false);
        for (Tuple.Tuple2<Double, Byte> d : damages) {
            body[(int) (d.get1() * (body.length - 1))] = d.get2();
        }
        return Arrays.copyOf(body, Math.max(1, (int) (cut * body.length)));
    }

    private static void assertSame(TopLevel expected, TopLevel got, byte[] body) {
        String text = new String(body, UTF_8);
        assertEquals(expected.members(), got.members(), text);
        assertEquals(expected.names(), got.names(), text);
        ModelSpan e = expected.model();
        ModelSpan g = got.model();
        assertEquals(e == null, g == null, text);
        if (e != null && g != null) {
            assertArrayEquals(e.splice(body, "m"), g.splice(body, "m"), text);
        }
    }

    private interface Read<T> {
        T read() throws Exception;
    }

    private static <T> @Nullable T orNull(Read<T> read) {
        try {
            return read.read();
        } catch (CodecException | IOException refused) {
            return null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<ObjectNode> plainDocuments() {
        return JsonDocuments.objects(names(), 3, true);
    }

    /** Documents whose text needs escapes: quotes, backslashes, control characters, any character. */
    @Provide
    Arbitrary<ObjectNode> escapedDocuments() {
        return JsonDocuments.objects(names(), 3, false);
    }

    private static Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.of(NAMES),
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(8));
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Double, Byte>>> damages() {
        Arbitrary<Byte> bytes = Arbitraries.oneOf(
                Arbitraries.of(
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
                        (byte) '.',
                        (byte) 'e',
                        (byte) 'u',
                        (byte) 't',
                        (byte) 'n',
                        (byte) 0x00,
                        (byte) 0x1f,
                        (byte) 0x7f,
                        (byte) 0x80,
                        (byte) 0xc0,
                        (byte) 0xc3,
                        (byte) 0xed,
                        (byte) 0xf4,
                        (byte) 0xf5,
                        (byte) 0xff),
                Arbitraries.bytes());
        return Combinators.combine(Arbitraries.doubles().between(0, 1), bytes)
                .as(Tuple::of)
                .list()
                .ofMinSize(0)
                .ofMaxSize(3);
    }

    @Provide
    Arbitrary<Double> cuts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(1.0)),
                Tuple.of(1, Arbitraries.doubles().between(0, 1)));
    }
}
