package dev.crossbar.codecs.openai;

import java.util.concurrent.ThreadLocalRandom;

/** Random identifiers in OpenAI's style, for replies whose upstream gave none. */
public final class OpenAiIds {

    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private OpenAiIds() {}

    /** {@code prefix} followed by 24 random alphanumeric characters. */
    public static String random(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(prefix.length() + 24).append(prefix);
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)]);
        }
        return sb.toString();
    }
}
