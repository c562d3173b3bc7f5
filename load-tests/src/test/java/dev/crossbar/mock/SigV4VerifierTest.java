package dev.crossbar.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mock's SigV4 check against the AWS Signature Version 4 test suite (credentials AKIDEXAMPLE, region
 * us-east-1, service {@code service}, signed at 20150830T123600Z): each documented signature verifies, and
 * the same request with one thing changed does not.
 */
class SigV4VerifierTest {

    private static final String KEY_ID = "AKIDEXAMPLE";
    private static final SigV4Verifier.Secret SECRET =
            new SigV4Verifier.Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static final String DATE = "20150830T123600Z";
    private static final String SCOPE = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
    private final SigV4Verifier verifier = new SigV4Verifier("us-east-1", "service");

    private static SigV4Verifier.Request request(
            String method, String query, String body, String signedHeaders, String signature, String... extra) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("example.amazonaws.com"));
        headers.put("X-Amz-Date", List.of(DATE));
        for (int i = 0; i < extra.length; i += 2) {
            headers.put(extra[i], List.of(extra[i + 1]));
        }
        headers.put(
                "Authorization",
                List.of(SigV4Verifier.ALGORITHM + " " + SCOPE + ", SignedHeaders=" + signedHeaders + ", Signature="
                        + signature));
        return new SigV4Verifier.Request(method, "/", query, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private SigV4Verifier.Verdict verify(SigV4Verifier.Request r) {
        return verifier.verify(r, id -> KEY_ID.equals(id) ? SECRET : null, null);
    }

    @Test
    void shouldAcceptGetVanilla() {
        SigV4Verifier.Request r = request(
                "GET", null, "", "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertEquals(SigV4Verifier.Verdict.OK, verify(r));
        // The suite's published hash of get-vanilla's canonical request.
        assertEquals(
                "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
                SigV4Verifier.hex(SigV4Verifier.sha256(verifier.canonicalRequest(r, List.of("host", "x-amz-date"))
                        .getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void shouldAcceptGetVanillaQueryOrderKeyCase() {
        assertEquals(
                SigV4Verifier.Verdict.OK,
                verify(request(
                        "GET",
                        "Param2=value2&Param1=value1",
                        "",
                        "host;x-amz-date",
                        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")));
    }

    @Test
    void shouldAcceptPostVanilla() {
        assertEquals(
                SigV4Verifier.Verdict.OK,
                verify(request(
                        "POST",
                        null,
                        "",
                        "host;x-amz-date",
                        "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")));
    }

    @Test
    void shouldAcceptPostXWwwFormUrlencodedWithItsBodySigned() {
        assertEquals(
                SigV4Verifier.Verdict.OK,
                verify(request(
                        "POST",
                        null,
                        "Param1=value1",
                        "content-type;host;x-amz-date",
                        "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
                        "Content-Type",
                        "application/x-www-form-urlencoded")));
    }

    @Test
    void shouldRefuseAVectorWithAnythingChanged() {
        String sig = "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a";
        String signed = "content-type;host;x-amz-date";
        String[] type = {"Content-Type", "application/x-www-form-urlencoded"};
        assertEquals(
                SigV4Verifier.Verdict.MISMATCH,
                verify(request("POST", null, "Param1=value2", signed, sig, type)),
                "another body");
        assertEquals(
                SigV4Verifier.Verdict.MISMATCH,
                verify(request("POST", null, "Param1=value1", signed, sig, "Content-Type", "application/json")),
                "another signed header value");
        assertEquals(
                SigV4Verifier.Verdict.MISMATCH,
                verify(request("PUT", null, "Param1=value1", signed, sig, type)),
                "another method");
        assertEquals(
                SigV4Verifier.Verdict.MISMATCH,
                verify(request("POST", "a=b", "Param1=value1", signed, sig, type)),
                "another query");
        SigV4Verifier.Verdict otherSecret = new SigV4Verifier("us-east-1", "service")
                .verify(
                        request("POST", null, "Param1=value1", signed, sig, type),
                        id -> new SigV4Verifier.Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ", null),
                        null);
        assertEquals(SigV4Verifier.Verdict.MISMATCH, otherSecret, "another secret");
    }

    @Test
    void shouldRefuseAnUnknownKeyAScopeOfAnotherRegionAndAStaleDate() {
        SigV4Verifier.Request r = request(
                "GET", null, "", "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertEquals(SigV4Verifier.Verdict.UNKNOWN_KEY, verifier.verify(r, id -> null, null));
        assertEquals(
                SigV4Verifier.Verdict.WRONG_SCOPE,
                new SigV4Verifier("eu-west-1", "service").verify(r, id -> SECRET, null));
        assertEquals(
                SigV4Verifier.Verdict.SKEWED, verifier.verify(r, id -> SECRET, Instant.parse("2015-08-30T12:52:00Z")));
        assertEquals(SigV4Verifier.Verdict.OK, verifier.verify(r, id -> SECRET, Instant.parse("2015-08-30T12:45:00Z")));
    }

    @Test
    void shouldEncodeThePathAsSentOnceMoreAsAwsDoesOutsideS3() {
        // A Bedrock model id's colon travels as %3A; the SDK signs it encoded again.
        assertEquals(
                "/model/amazon.nova-pro-v1%253A0/converse",
                SigV4Verifier.canonicalUri("/model/amazon.nova-pro-v1%3A0/converse"));
    }
}
