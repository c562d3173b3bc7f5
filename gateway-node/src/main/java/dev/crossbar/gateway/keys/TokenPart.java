package dev.crossbar.gateway.keys;

/** Which tokens a bucket's token limit counts: all of them, or only the input or only the output tokens. */
public enum TokenPart {
    TOTAL(""),
    INPUT(":in"),
    OUTPUT(":out");

    private final String suffix;

    TokenPart(String suffix) {
        this.suffix = suffix;
    }

    /** How an entry's id says what its tokens count. */
    public String suffix() {
        return suffix;
    }

    /** What a call reserves in this part. */
    public long of(CallTokens tokens) {
        return switch (this) {
            case TOTAL -> tokens.total();
            case INPUT -> tokens.input();
            case OUTPUT -> tokens.output();
        };
    }

    /** What a call settled to in this part, from its total and the input share of it. */
    public long settled(long total, long input) {
        return switch (this) {
            case TOTAL -> total;
            case INPUT -> Math.min(total, input);
            case OUTPUT -> Math.max(0, total - input);
        };
    }
}
