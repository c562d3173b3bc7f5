package dev.crossbar.codecs.responses;

/**
 * Response and item ids derived from the canonical reply id, so one reply always gets the same ids:
 * {@code resp_<base>}, and {@code msg_/fc_/rs_<base>_<output index>} for its items.
 */
final class ResponsesIds {

    private ResponsesIds() {}

    static String responseId(String canonicalId) {
        return canonicalId.startsWith("resp_") ? canonicalId : "resp_" + base(canonicalId);
    }

    /** The canonical id without the prefix its own protocol gave it. */
    static String base(String canonicalId) {
        for (String prefix : new String[] {"resp_", "chatcmpl-", "msg_"}) {
            if (canonicalId.startsWith(prefix) && canonicalId.length() > prefix.length()) {
                return canonicalId.substring(prefix.length());
            }
        }
        return canonicalId;
    }
}
