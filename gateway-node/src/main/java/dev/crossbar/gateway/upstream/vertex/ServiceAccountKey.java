package dev.crossbar.gateway.upstream.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.gateway.upstream.auth.CredentialException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * A Google service account's JSON key, as the console downloads it. Errors say which field is wrong, never what
 * the key holds.
 *
 * @param keyId    the key's {@code private_key_id}, named in the JWT header so Google picks the right public key
 * @param tokenUri where the key's JWTs are exchanged, {@code https://oauth2.googleapis.com/token}
 */
public record ServiceAccountKey(String clientEmail, String keyId, PrivateKey privateKey, String tokenUri) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the key from its JSON text; {@code keyName} names it in errors. */
    public static ServiceAccountKey parse(@Nullable String json, String keyName) {
        JsonNode node;
        try {
            node = json == null ? null : JSON.readTree(json);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw refused(
                    keyName, "its secret is not a service account's JSON key (write secret: ${file:/path/key.json})");
        }
        String email = node.path("client_email").asText("");
        String pem = node.path("private_key").asText("");
        if (email.isEmpty()) {
            throw refused(keyName, "the service account key has no client_email");
        }
        if (pem.isEmpty()) {
            throw refused(keyName, "the service account key has no private_key");
        }
        return new ServiceAccountKey(
                email,
                node.path("private_key_id").asText(null),
                privateKey(pem, keyName),
                node.path("token_uri").asText("https://oauth2.googleapis.com/token"));
    }

    private static PrivateKey privateKey(String pem, String keyName) {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw refused(keyName, "the service account key's private_key is not a PKCS#8 RSA key in PEM");
        }
    }

    private static CredentialException refused(String keyName, String why) {
        return new CredentialException("key " + keyName + ": " + why, true);
    }

    @Override
    public String toString() {
        return "ServiceAccountKey[" + clientEmail + " " + keyId + "]";
    }
}
