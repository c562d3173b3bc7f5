package dev.crossbar.codecs.responses;

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

    final String callId;
    final String name;
    boolean done;
    /** Cut short by the token cap or a filter: reported as status {@code incomplete}. */
    boolean incomplete;

    private OutputItem(Kind kind, String id, int outputIndex, String callId, String name) {
        this.kind = kind;
        this.id = id;
        this.outputIndex = outputIndex;
        this.callId = callId;
        this.name = name;
    }

    static OutputItem reasoning(String base, int outputIndex) {
        return new OutputItem(Kind.REASONING, "rs_" + base + "_" + outputIndex, outputIndex, null, null);
    }

    static OutputItem message(String base, int outputIndex) {
        return new OutputItem(Kind.MESSAGE, "msg_" + base + "_" + outputIndex, outputIndex, null, null);
    }

    static OutputItem functionCall(String base, int outputIndex, String callId, String name) {
        return new OutputItem(
                Kind.FUNCTION_CALL,
                "fc_" + base + "_" + outputIndex,
                outputIndex,
                callId == null ? "call_" + outputIndex : callId,
                name);
    }

    /** Function-call arguments as finally reported: an empty (or blank) argument stream is {@code {}}. */
    String arguments() {
        String args = text.toString();
        return args.isBlank() ? "{}" : args;
    }
}
