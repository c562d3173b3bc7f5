package dev.crossbar.gateway.upstream.vertex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.gateway.config.VertexConfig;
import dev.crossbar.gateway.upstream.auth.CredentialException;
import dev.crossbar.gateway.upstream.auth.TokenEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class VertexAuthTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldSignAJwtTheServiceAccountsPublicKeyVerifies() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        ServiceAccountKey key = ServiceAccountKey.parse(keyJson("sa@p.iam.gserviceaccount.com", pair), "sa-1");
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        String url = "https://oauth2.googleapis.com/token";
        String[] jwt = new ServiceAccountJwt(key, new TokenEndpoint(null, url, clock), clock)
                .assertion()
                .split("\\.", -1);
        assertEquals(3, jwt.length);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertEquals("RS256", header.path("alg").asText());
        assertEquals("kid-1", header.path("kid").asText());
        assertEquals("sa@p.iam.gserviceaccount.com", claims.path("iss").asText());
        assertEquals(url, claims.path("aud").asText());
        assertEquals(ServiceAccountJwt.CLOUD_PLATFORM, claims.path("scope").asText());
        assertEquals(3600, claims.path("exp").asLong() - claims.path("iat").asLong());
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(pair.getPublic());
        rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rsa.verify(Base64.getUrlDecoder().decode(jwt[2])));
    }

    @Test
    void shouldRefuseASecretThatIsNotAServiceAccountKeyWithoutEchoingIt() {
        CredentialException e =
                assertThrows(CredentialException.class, () -> ServiceAccountKey.parse("sk-not-json-at-all", "sa-1"));
        assertTrue(e.getMessage().contains("sa-1"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-not-json"), e.getMessage());
        CredentialException noKey = assertThrows(
                CredentialException.class,
                () -> ServiceAccountKey.parse(
                        "{\"client_email\":\"a@b\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\\n\"}",
                        "sa-2"));
        assertTrue(noKey.getMessage().contains("private_key"), noKey.getMessage());
        assertFalse(noKey.getMessage().contains("AAAA"), noKey.getMessage());
    }

    @Test
    void shouldAddressGeminiAndClaudeUnderThePublisherAndMoveClaudesModelToTheUrl() throws Exception {
        VertexAddressing gemini = new VertexAddressing(new VertexConfig("my-project", "us-east5", null, null));
        assertEquals(
                "/projects/my-project/locations/us-east5/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
                gemini.path("/models/gemini-2.5-pro:streamGenerateContent?alt=sse", "gemini-2.5-pro", true));
        VertexAddressing claude = new VertexAddressing(new VertexConfig("my-project", "us-east5", "anthropic", null));
        assertEquals(
                "/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5:streamRawPredict",
                claude.path("/messages", "claude-sonnet-4-5", true));
        assertEquals(
                "/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5:rawPredict",
                claude.path("/messages", "claude-sonnet-4-5", false));
        JsonNode body = JSON.readTree(claude.body(
                "/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(body.has("model"));
        assertEquals(
                VertexAddressing.ANTHROPIC_VERSION,
                body.path("anthropic_version").asText());
        assertEquals(5, body.path("max_tokens").asInt());
    }

    private static String keyJson(String email, KeyPair pair) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return JSON.createObjectNode()
                .put("type", "service_account")
                .put("client_email", email)
                .put("private_key_id", "kid-1")
                .put("private_key", pem)
                .toString();
    }
}
