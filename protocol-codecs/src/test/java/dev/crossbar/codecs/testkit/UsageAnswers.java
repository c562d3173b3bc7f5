package dev.crossbar.codecs.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Whole answers whose usage object is generated field by field, for the properties that hold a usage read without
 * its tree ({@code TopLevelScan.integers}) against the tree's: every field as an integer, a string, a fraction, a
 * literal, an object or an array, repeated or not; the objects of fields as anything; no usage or two; a top-level
 * {@code error}; the member every answer has there or not.
 */
public final class UsageAnswers {

    private UsageAnswers() {}

    /** {@code read} reads {@code answer} as {@code byTree} does: the same usage, or a refusal in the same words. */
    public static void assertReadAsTheTreeReads(
            String answer, Function<byte[], Usage> read, Function<byte[], Usage> byTree) {
        byte[] body = answer.getBytes(UTF_8);
        assertEquals(outcome(byTree, body), outcome(read, body), answer);
    }

    private static Object outcome(Function<byte[], Usage> reading, byte[] body) {
        try {
            return reading.apply(body);
        } catch (CodecException e) {
            return "refused: " + e.getMessage();
        }
    }

    /**
     * Answers with a generated usage member.
     *
     * @param usage    the usage member's name
     * @param required the member every answer has
     * @param fields   the usage's integer fields (others are made up besides)
     * @param objects  the usage's objects of integer fields, by name
     */
    public static Arbitrary<String> answers(
            String usage, String required, List<String> fields, Map<String, List<String>> objects) {
        Arbitrary<List<String>> usages = object(fields, objects)
                .map(u -> "\"" + usage + "\":" + u)
                .list()
                .ofMaxSize(2);
        Arbitrary<List<String>> others = Arbitraries.of(
                        "\"id\":\"c\"",
                        "\"" + required + "\":[{\"index\":0}]",
                        "\"" + required + "\":[]",
                        "\"error\":{\"message\":\"x\"}",
                        "\"model\":\"m\"")
                .list()
                .ofMaxSize(3);
        return Combinators.combine(usages, others, Arbitraries.of(",", " , ", ",\n"))
                .as((u, o, comma) -> {
                    List<String> members = new ArrayList<>(o);
                    members.addAll(u);
                    Collections.shuffle(members, new Random(members.hashCode()));
                    return "{" + String.join(comma, members) + "}";
                });
    }

    private static Arbitrary<String> object(List<String> fields, Map<String, List<String>> objects) {
        List<String> names = new ArrayList<>(fields);
        names.add("total_tokens");
        names.add("other");
        Arbitrary<String> member = Arbitraries.of(names).flatMap(n -> value().map(v -> "\"" + n + "\":" + v));
        List<Arbitrary<String>> members = new ArrayList<>(List.of(member, member, member));
        objects.forEach((name, inner) ->
                members.add(Arbitraries.frequencyOf(Tuple.of(5, object(inner, Map.of())), Tuple.of(1, value()))
                        .map(v -> "\"" + name + "\":" + v)));
        return Arbitraries.oneOf(members).list().ofMaxSize(9).map(m -> "{" + String.join(",", m) + "}");
    }

    private static Arbitrary<String> value() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(-3, 5_000_000).map(String::valueOf)),
                Tuple.of(2, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(
                        3,
                        Arbitraries.of(
                                "\"12\"",
                                "\"x\"",
                                "1.5",
                                "2e3",
                                "-0",
                                "0",
                                "true",
                                "false",
                                "null",
                                "{}",
                                "[1,2]",
                                "{\"a\":1}",
                                "123456789012345678",
                                "-12345678901234567",
                                "1234567890123456789",
                                "99999999999999999999")));
    }
}
