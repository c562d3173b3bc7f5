package dev.crossbar.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * A member's proof that it holds the cluster key, shown in its member attributes from before it joins: an
 * HMAC, under the cluster key, of the cluster's name, the member's address and port, and a nonce of its own.
 * Open-source Hazelcast lets any process that reaches a member port join; this lets the members that hold
 * the key tell those that do not. A proof copied from another member does not fit the copier's address and
 * port (while the member it was copied from holds them). A member whose port may slide
 * ({@code portAutoIncrement}) cannot know its port in advance: its proof names any port.
 */
final class MemberProof {

    static final String NONCE = "crossbar.nonce";
    static final String PROOF = "crossbar.proof";
    private static final SecureRandom RANDOM = new SecureRandom();

    private MemberProof() {}

    /** The attributes a member about to bind {@code host:port} shows; {@code port} 0: it may slide. */
    static Map<String, String> attributes(ClusterKeyring keys, String clusterName, String host, int port) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String nonce = HexFormat.of().formatHex(bytes);
        byte[] proof = proof(keys, keys.current(), clusterName, address(host), port, nonce);
        return Map.of(NONCE, nonce, PROOF, Base64.getEncoder().encodeToString(proof));
    }

    /** True when the member's proof holds under one of the accepted keys, for its own address. */
    static boolean verify(ClusterKeyring keys, String clusterName, Member member) {
        String nonce = member.getAttribute(NONCE);
        String shown = member.getAttribute(PROOF);
        if (nonce == null || shown == null || nonce.length() > 64) {
            return false;
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(shown);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String address;
        try {
            address = member.getAddress().getInetAddress().getHostAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        int port = member.getAddress().getPort();
        for (ClusterKey key : keys.accepted()) {
            if (MessageDigest.isEqual(proof, proof(keys, key, clusterName, address, port, nonce))
                    || MessageDigest.isEqual(proof, proof(keys, key, clusterName, address, 0, nonce))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] proof(
            ClusterKeyring keys, ClusterKey key, String clusterName, String address, int port, String nonce) {
        String text = "crossbar member proof\u0000" + clusterName + "\u0000" + address + "\u0000"
                + (port == 0 ? "*" : Integer.toString(port)) + "\u0000" + nonce;
        return keys.hmac(key, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The host as the cluster will see it: its address in text form. */
    private static String address(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cluster.host '" + host + "' does not resolve", e);
        }
    }
}
