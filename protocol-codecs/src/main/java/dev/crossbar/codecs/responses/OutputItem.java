package dev.crossbar.codecs.responses;

import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.model.Tool;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One item of a Response's {@code output}, as it grows while streaming and as it is finally written.
 * Mutable on purpose: the stream encoder appends deltas to the item it has announced.
 */
final class OutputItem {

    enum Kind {
        REASONING,
        MESSAGE,
        FUNCTION_CALL
    }

    final Kind kind;
    final String id;
    final int outputIndex;
    /** Reasoning or message text, or function-call arguments. */
    final StringBuilder text = new StringBuilder();

    final @Nullable String callId;
    /** A function's name within its namespace. */
    final @Nullable String name;

    final @Nullable String namespace;
    /** Reasoning only: the sealed signature a client replays ({@code encrypted_content}), or null. */
    @Nullable
    String encryptedContent;

    boolean done;
    /** Cut short by the token cap or a filter: reported as status {@code incomplete}. */
    boolean incomplete;

    private OutputItem(
            Kind kind,
            String id,
            int outputIndex,
            @Nullable String callId,
            @Nullable String name,
            @Nullable String namespace) {
        this.kind = kind;
        this.id = id;
        this.outputIndex = outputIndex;
        this.callId = callId;
        this.name = name;
        this.namespace = namespace;
    }

    static OutputItem reasoning(@Nullable String base, int outputIndex) {
        return new OutputItem(Kind.REASONING, "rs_" + base + "_" + outputIndex, outputIndex, null, null, null);
    }

    static OutputItem message(@Nullable String base, int outputIndex) {
        return new OutputItem(Kind.MESSAGE, "msg_" + base + "_" + outputIndex, outputIndex, null, null, null);
    }

    /**
     * A call by its canonical (flat) name; a function of one of the request's namespaces is reported with
     * its namespace and its own name, as OpenAI reports it.
     */
    static OutputItem functionCall(
            @Nullable String base, int outputIndex, String callId, @Nullable String flatName, List<Tool> tools) {
        Tool namespaced = ResponsesTools.namespaced(tools, flatName);
        return new OutputItem(
                Kind.FUNCTION_CALL,
                "fc_" + base + "_" + outputIndex,
                outputIndex,
                callId == null ? "call_" + outputIndex : callId,
                namespaced == null ? flatName : namespaced.localName(),
                namespaced == null ? null : namespaced.namespace());
    }

    /** Seals a signature (or redacted thinking) for the client to replay: always, as its wire form is not OpenAI's. */
    void sign(@Nullable Issuer issuer, boolean redacted, String value) {
        encryptedContent = SignatureEnvelope.seal(issuer, redacted, value, null, false);
    }

    /** Function-call arguments as finally reported: an empty (or blank) argument stream is {@code {}}. */
    String arguments() {
        String args = text.toString();
        return args.isBlank() ? "{}" : args;
    }
}
