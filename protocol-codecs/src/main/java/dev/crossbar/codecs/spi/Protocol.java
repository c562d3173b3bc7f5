package dev.crossbar.codecs.spi;

/** The wire protocols Crossbar speaks: to clients (the first four) and to providers (all). */
public enum Protocol {
    OPENAI_CHAT("openai-chat"),
    OPENAI_RESPONSES("openai-responses"),
    ANTHROPIC("anthropic"),
    GEMINI("gemini"),
    /** Amazon Bedrock's Converse API: spoken to providers only, no client speaks it. */
    BEDROCK_CONVERSE("bedrock-converse");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    /** The name used in metrics, logs and config. */
    public String label() {
        return label;
    }
}
