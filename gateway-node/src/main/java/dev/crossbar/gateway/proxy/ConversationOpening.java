package dev.crossbar.gateway.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.crossbar.codecs.spi.Protocol;
import java.io.IOException;
import java.util.Arrays;

/**
 * What keeps a conversation on one key under the sticky strategy when the client sends no session header: a hash
 * of the bytes of the conversation's first two turns, as the client wrote them (every later turn resends them
 * unchanged). Reads the body's top level with a streaming parser and skips every other value without building it:
 * nothing is decoded, so a long conversation with images costs one scan of its bytes.
 */
final class ConversationOpening {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int TURNS = 2;

    private ConversationOpening() {}

    /** The hash of the opening; of the whole body when it has no conversation where the protocol puts it. */
    static long of(Protocol protocol, byte[] body) {
        String member = member(protocol);
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Arrays.hashCode(body);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean conversation = p.currentName().equals(member);
                JsonToken value = p.nextToken();
                if (conversation && value == JsonToken.START_ARRAY) {
                    return opening(p, body);
                }
                if (conversation && value == JsonToken.VALUE_STRING) {
                    return p.getText().hashCode();
                }
                p.skipChildren();
            }
        } catch (IOException malformed) {
            // Intake read this body already; a body it could not read is spread like one without a session.
        }
        return Arrays.hashCode(body);
    }

    private static long opening(JsonParser p, byte[] body) throws IOException {
        long h = 17;
        for (int turn = 0; turn < TURNS; turn++) {
            long start = p.currentLocation().getByteOffset();
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_ARRAY || t == null) {
                break;
            }
            p.skipChildren();
            long end = p.currentLocation().getByteOffset();
            for (long i = start; i < end && i < body.length; i++) {
                h = 31 * h + body[(int) i];
            }
        }
        return h;
    }

    /** Where each client protocol keeps the conversation. */
    private static String member(Protocol protocol) {
        return switch (protocol) {
            case GEMINI -> "contents";
            case OPENAI_RESPONSES -> "input";
            default -> "messages";
        };
    }
}
