package dev.crossbar.codecs.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The body a provider of the client's own protocol gets (DESIGN.md 3): the client's bytes as sent but for the
 * model. Bytes are spliced, not re-serialised, unless the body leaves no other way (a repeated or non-string
 * {@code model}).
 */
public final class PassThroughBody {

    private PassThroughBody() {}

    /**
     * The client's body with the upstream's name for the model in place of the client's.
     *
     * @param body      the client's body, a JSON object
     * @param sentModel the model the client named
     * @param model     the upstream's name for it
     * @param span      where intake found the model in the body, or null: spares a second parse of that body
     * @return the same array when the name does not change
     */
    public static byte[] withModel(byte[] body, String sentModel, String model, @Nullable ModelSpan span) {
        if (model.equals(sentModel)) {
            return body;
        }
        byte[] out = span == null ? null : span.splice(body, model);
        if (out == null) {
            out = TopLevelScan.withModel(body, model);
        }
        return out != null ? out : rewritten(body, tree -> tree.put("model", model));
    }

    /** The body parsed, changed by {@code change} and written again: for what splicing cannot do. */
    public static byte[] rewritten(byte[] body, Consumer<ObjectNode> change) {
        ObjectNode tree = Json.parseObject(body);
        change.accept(tree);
        return Json.bytes(tree);
    }
}
