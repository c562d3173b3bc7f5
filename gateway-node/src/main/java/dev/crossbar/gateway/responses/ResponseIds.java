package dev.crossbar.gateway.responses;

import org.jspecify.annotations.Nullable;

/**
 * The ids the Responses codec gives a reply: {@code resp_<base>} for the response and
 * {@code <prefix>_<base>_<output index>} for its items, so an item names the response that holds it.
 */
final class ResponseIds {

    private ResponseIds() {}

    /** The id of the response that produced this item, or null when the id is not one of ours. */
    static @Nullable String responseOf(String itemId) {
        int first = itemId.indexOf('_');
        int last = itemId.lastIndexOf('_');
        if (first < 1 || last <= first + 1 || last == itemId.length() - 1) {
            return null;
        }
        for (int i = last + 1; i < itemId.length(); i++) {
            if (!Character.isDigit(itemId.charAt(i))) {
                return null;
            }
        }
        return "resp_" + itemId.substring(first + 1, last);
    }

    /** True for an id that may be a map key: printable, no newline, bounded. */
    static boolean plausible(String id) {
        if (id == null || id.isEmpty() || id.length() > 256) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
