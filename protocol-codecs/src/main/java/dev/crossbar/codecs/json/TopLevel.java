package dev.crossbar.codecs.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A client's request body read at its top level only (DESIGN.md 3): the few members the gateway needs, as
 * trees, and the names of all of them; every other value is checked as JSON and skipped, never built.
 *
 * @param members the wanted members the body has (the last one when a name repeats, as in Jackson's tree)
 * @param names   every top-level member's name, in order, repeats included
 * @param model   where the body's one top-level {@code model} string lies, or null (none, not a string, or
 *     more than one {@code model})
 */
public record TopLevel(
        ObjectNode members, List<String> names, @Nullable ModelSpan model) {

    public TopLevel {
        // A view, not a copy (a copy per request was 110 B of a plain request's heap): the lists given are this
        // class's own, made for the record and not kept.
        names = Collections.unmodifiableList(names);
    }

    /**
     * Reads {@code body}.
     *
     * @throws CodecException 400 when the body is not one JSON object, as {@link Json#parseObject} says it
     */
    public static TopLevel read(byte[] body, Set<String> wanted) {
        TopLevel quick = QuickScan.topLevel(body, wanted);
        return quick != null ? quick : readWithJackson(body, wanted);
    }

    /** {@link #read} by Jackson's parser: for what {@link QuickScan} declines, and as its oracle in tests. */
    static TopLevel readWithJackson(byte[] body, Set<String> wanted) {
        ObjectNode members = Json.NODES.objectNode();
        List<String> names = new ArrayList<>();
        int modelStart = -1;
        int modelEnd = -1;
        int models = 0;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notAnObject();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                names.add(name);
                JsonToken value = p.nextToken();
                if (name.equals("model") && ++models == 1 && value == JsonToken.VALUE_STRING) {
                    modelStart = (int) p.currentTokenLocation().getByteOffset();
                    p.finishToken();
                    modelEnd = (int) p.currentLocation().getByteOffset();
                }
                if (wanted.contains(name)) {
                    members.set(name, TreeReader.read(p));
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw notAnObject();
            }
        } catch (JsonProcessingException e) {
            throw new CodecException(
                    ApiError.invalid(null, "request body is not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new CodecException(ApiError.invalid(null, "request body could not be read: " + e.getMessage()));
        }
        ModelSpan model = models == 1 && modelStart >= 0 ? new ModelSpan(body, modelStart, modelEnd) : null;
        return new TopLevel(members, names, model);
    }

    /** The top level of a body parsed whole already. */
    public static TopLevel of(ObjectNode tree) {
        List<String> names = new ArrayList<>(tree.size());
        for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return new TopLevel(tree, names, null);
    }

    private static CodecException notAnObject() {
        return new CodecException(ApiError.invalid(null, "request body must be a JSON object"));
    }
}
