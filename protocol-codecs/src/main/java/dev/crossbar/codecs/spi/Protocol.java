package dev.crossbar.codecs.spi;

/** The wire protocols Crossbar speaks. */
public enum Protocol {
    OPENAI_CHAT("openai-chat"),
    OPENAI_RESPONSES("openai-responses"),
    ANTHROPIC("anthropic"),
    GEMINI("gemini");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    /** The name used in metrics, logs and config. */
    public String label() {
        return label;
    }
}
