package dev.crossbar.gateway.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.TopLevelScan;

/**
 * The body a same-protocol upstream gets (DESIGN.md 3): the client's bytes as sent, but for the model and,
 * when the gateway must ask for a stream's usage the client did not ask for, {@code stream_options.
 * include_usage} (the key is charged what the answer cost; the relay takes the usage back out). Bytes are
 * spliced, not re-serialised, unless the body leaves no other way.
 */
final class PassThroughBody {

    private static final String ASK_USAGE = "\"stream_options\":{\"include_usage\":true}";

    private PassThroughBody() {}

    /**
     * @param raw       the client's body
     * @param tree      the same body parsed
     * @param sentModel the model the client named
     * @param model     the upstream's model
     * @param askUsage  add {@code stream_options.include_usage: true}
     */
    static byte[] of(byte[] raw, ObjectNode tree, String sentModel, String model, boolean askUsage) {
        if (askUsage && tree.has("stream_options")) {
            return rewritten(tree, model, true);
        }
        byte[] out = model.equals(sentModel) ? raw : TopLevelScan.withModel(raw, model);
        if (out != null && askUsage) {
            out = TopLevelScan.withMemberAdded(out, ASK_USAGE);
        }
        return out != null ? out : rewritten(tree, model, askUsage);
    }

    private static byte[] rewritten(ObjectNode tree, String model, boolean askUsage) {
        ObjectNode copy = tree.deepCopy();
        copy.put("model", model);
        if (askUsage) {
            ObjectNode options =
                    copy.get("stream_options") instanceof ObjectNode o ? o : copy.putObject("stream_options");
            options.put("include_usage", true);
        }
        return Json.bytes(copy);
    }
}
