package dev.crossbar.mock;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 the way AWS does, written from the specification and independent of the SDK
 * that signs: the request's canonical form (method, the path as sent URI-encoded once more as for every service but
 * S3, the sorted query, the signed headers with their values trimmed, the payload's SHA-256), the string to sign
 * over the credential scope, the key derived from the secret by the HMAC chain, and the signature compared in
 * constant time. Unit-tested against the AWS SigV4 test suite's vectors.
 */
public final class SigV4Verifier {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** AWS refuses a request signed further than this from its own clock. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** A request as it came in: header names in any case, each with its values in order. */
    @SuppressWarnings("ArrayRecordComponent") // the body's bytes are hashed, never compared or printed
    public record Request(
            String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                    return h.getValue().get(0);
                }
            }
            return null;
        }

        List<String> values(String name) {
            List<String> out = new ArrayList<>();
            headers.forEach((k, v) -> {
                if (k.equalsIgnoreCase(name)) {
                    out.addAll(v);
                }
            });
            return out;
        }
    }

    /** Why a request was refused, in Bedrock's own error types; {@link #OK} when the signature holds. */
    public enum Verdict {
        OK(null),
        MISSING("MissingAuthenticationTokenException"),
        MALFORMED("IncompleteSignatureException"),
        UNKNOWN_KEY("UnrecognizedClientException"),
        BAD_TOKEN("UnrecognizedClientException"),
        WRONG_SCOPE("InvalidSignatureException"),
        SKEWED("InvalidSignatureException"),
        MISMATCH("InvalidSignatureException");

        private final String errorType;

        Verdict(String errorType) {
            this.errorType = errorType;
        }

        public String errorType() {
            return errorType;
        }
    }

    /** An access key's secret and session token (null when it has none). */
    public record Secret(String secretAccessKey, String sessionToken) {}

    private final String region;
    private final String service;

    public SigV4Verifier(String region, String service) {
        this.region = region;
        this.service = service;
    }

    /**
     * Checks a request's signature as AWS does.
     *
     * @param secrets the secret of an access key id, or null for a key AWS does not know
     * @param now     the verifier's clock, or null to skip the skew check (the test suite's 2015 vectors)
     */
    public Verdict verify(Request r, Function<String, Secret> secrets, Instant now) {
        String authorization = r.header("authorization");
        if (authorization == null) {
            return Verdict.MISSING;
        }
        Map<String, String> fields = authorizationFields(authorization);
        String credential = fields.get("Credential");
        String signedHeaders = fields.get("SignedHeaders");
        String signature = fields.get("Signature");
        String amzDate = r.header("x-amz-date");
        if (fields.isEmpty() || credential == null || signedHeaders == null || signature == null || amzDate == null) {
            return Verdict.MALFORMED;
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            return Verdict.MALFORMED;
        }
        Secret secret = secrets.apply(scope[0]);
        if (secret == null) {
            return Verdict.UNKNOWN_KEY;
        }
        if (secret.sessionToken() != null && !secret.sessionToken().equals(r.header("x-amz-security-token"))) {
            return Verdict.BAD_TOKEN;
        }
        if (!amzDate.startsWith(scope[1]) || !region.equals(scope[2]) || !service.equals(scope[3])) {
            return Verdict.WRONG_SCOPE;
        }
        if (now != null) {
            try {
                Instant signedAt = Instant.from(AMZ_DATE.parse(amzDate));
                if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
                    return Verdict.SKEWED;
                }
            } catch (DateTimeParseException e) {
                return Verdict.MALFORMED;
            }
        }
        List<String> signed = List.of(signedHeaders.split(";"));
        if (!signed.contains("host")) {
            return Verdict.MALFORMED;
        }
        String expected = signature(r, signed, amzDate, scope[1], secret.secretAccessKey());
        boolean same = MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
        return same ? Verdict.OK : Verdict.MISMATCH;
    }

    /** The hex signature of {@code r} over {@code signedHeaders} (lower case, in the order given). */
    public String signature(Request r, List<String> signedHeaders, String amzDate, String date, String secretKey) {
        String canonical = canonicalRequest(r, signedHeaders);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + date + "/" + region + "/" + service
                + "/aws4_request\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, stringToSign));
    }

    public String canonicalRequest(Request r, List<String> signedHeaders) {
        StringBuilder headers = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = new ArrayList<>();
            for (String v : r.values(name)) {
                values.add(v.strip().replaceAll("\\s+", " "));
            }
            headers.append(name).append(':').append(String.join(",", values)).append('\n');
        }
        String payloadHash = r.header("x-amz-content-sha256");
        return r.method() + "\n"
                + canonicalUri(r.rawPath()) + "\n"
                + canonicalQuery(r.rawQuery()) + "\n"
                + headers + "\n"
                + String.join(";", signedHeaders) + "\n"
                + (payloadHash != null ? payloadHash : hex(sha256(r.body())));
    }

    /** Each segment of the path as sent, URI-encoded again: what AWS does for every service but S3. */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(encode(segments[i]));
        }
        return out.toString();
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = encode(decode(eq < 0 ? pair : pair.substring(0, eq)));
            String value = eq < 0 ? "" : encode(decode(pair.substring(eq + 1)));
            sorted.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        List<String> out = new ArrayList<>();
        sorted.forEach((name, values) -> values.stream().sorted().forEach(v -> out.add(name + "=" + v)));
        return String.join("&", out);
    }

    /** RFC 3986 encoding of everything but the unreserved characters. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...} as a map; empty if not that. */
    static Map<String, String> authorizationFields(String authorization) {
        Map<String, String> fields = new TreeMap<>();
        if (!authorization.startsWith(ALGORITHM + " ")) {
            return fields;
        }
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return fields;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
