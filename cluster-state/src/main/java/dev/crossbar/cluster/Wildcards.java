package dev.crossbar.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Addresses that mean "every interface": a member must never bind one. */
public final class Wildcards {

    private Wildcards() {}

    /** True for 0.0.0.0, :: and their spellings; false for names and ordinary addresses. */
    public static boolean isWildcard(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty() || !(h.contains(":") || h.chars().allMatch(c -> Character.isDigit(c) || c == '.'))) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
