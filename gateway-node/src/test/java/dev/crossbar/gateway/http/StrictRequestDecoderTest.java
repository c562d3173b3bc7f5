package dev.crossbar.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.ApiError;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrictRequestDecoderTest {

    private static final String BODY = "{\"a\":1}";

    /** The requests decoded from {@code bytes}, each with its body, in order. */
    private record Decoded(HttpRequest request, String body) {}

    private static List<Decoded> decode(String bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictRequestDecoder(new HttpServerOptions()));
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
        List<Decoded> decoded = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        HttpRequest request = null;
        for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
            if (msg instanceof HttpRequest head) {
                request = head;
            }
            if (msg instanceof HttpContent content) {
                body.append(content.content().toString(StandardCharsets.US_ASCII));
            }
            if (msg instanceof LastHttpContent
                    || (request != null && request.decoderResult().isFailure())) {
                decoded.add(new Decoded(request, body.toString()));
                body.setLength(0);
                request = null;
            }
            ReferenceCountUtil.release(msg);
        }
        channel.finishAndReleaseAll();
        return decoded;
    }

    private static String post(String version, String... headers) {
        return "POST /v1/chat/completions " + version + "\r\nHost: x\r\n" + String.join("\r\n", headers)
                + (headers.length == 0 ? "" : "\r\n") + "\r\n";
    }

    private static String chunked(String body) {
        return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    }

    private static String refusal(String bytes) {
        List<Decoded> decoded = decode(bytes);
        assertEquals(1, decoded.size(), "nothing is read after a refused request: " + decoded);
        Throwable cause = decoded.get(0).request().decoderResult().cause();
        return assertInstanceOf(StrictRequestDecoder.AmbiguousFraming.class, cause)
                .getMessage();
    }

    @Test
    void framingsThatAreNotAmbiguousAreDecoded() {
        for (String request : new String[] {
            post("HTTP/1.1", "Content-Length: " + BODY.length()) + BODY,
            post("HTTP/1.1", "Transfer-Encoding: chunked") + chunked(BODY),
            post("HTTP/1.1", "Transfer-Encoding: gzip, Chunked") + chunked(BODY),
            post("HTTP/1.1", "Transfer-Encoding: gzip", "Transfer-Encoding: chunked") + chunked(BODY),
            post("HTTP/1.0", "Content-Length: " + BODY.length()) + BODY,
        }) {
            List<Decoded> decoded = decode(request + request);
            assertEquals(2, decoded.size(), request);
            for (Decoded one : decoded) {
                assertTrue(one.request().decoderResult().isSuccess(), request);
                assertEquals(BODY, one.body(), request);
            }
        }
    }

    @Test
    void aRequestSmuggledBehindContentLengthAndChunkedIsNeverDecoded() {
        String smuggled = post("HTTP/1.1", "Content-Length: " + BODY.length()) + BODY;
        String body = "0\r\n\r\n" + smuggled;
        String message =
                refusal(post("HTTP/1.1", "Content-Length: " + body.length(), "Transfer-Encoding: chunked") + body);
        assertTrue(message.contains("Content-Length") && message.contains("Transfer-Encoding"), message);
    }

    @Test
    void aTransferEncodingThatDoesNotEndInChunkedIsRefused() {
        for (String coding : new String[] {"gzip", "chunked, gzip", "identity", "chunkedx", ""}) {
            String message = refusal(post("HTTP/1.1", "Transfer-Encoding: " + coding) + BODY);
            assertTrue(message.contains("must end in chunked"), coding + ": " + message);
        }
        String message = refusal(post("HTTP/1.1", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip") + BODY);
        assertTrue(message.contains("must end in chunked"), message);
    }

    @Test
    void aTransferEncodingInHttp10IsRefused() {
        assertTrue(refusal(post("HTTP/1.0", "Transfer-Encoding: chunked") + chunked(BODY))
                .contains("HTTP/1.0"));
    }

    @Test
    void theAnswerNamesTheLimitOrHeaderButNeverQuotesTheRequest() {
        UndecodableRequests undecodable = new UndecodableRequests(8192, 16384);
        ApiError line = undecodable.error(new TooLongHttpLineException("An HTTP line is larger than 8192 bytes."));
        assertEquals(414, line.status());
        assertTrue(String.valueOf(line.message()).contains("8192"), line.message());
        ApiError length = undecodable.error(new NumberFormatException("Invalid Content-Length: sk-secret"));
        assertEquals(400, length.status());
        assertFalse(String.valueOf(length.message()).contains("sk-secret"), length.message());
        assertTrue(String.valueOf(length.message()).contains("Content-Length"), length.message());
        ApiError other = undecodable.error(new IllegalArgumentException("header value sk-secret is bad"));
        assertFalse(String.valueOf(other.message()).contains("sk-secret"), other.message());
        ApiError unknown = undecodable.error(null);
        assertEquals(400, unknown.status());
        assertTrue(String.valueOf(unknown.message()).contains("not valid HTTP/1.1"), unknown.message());
    }
}
