package dev.crossbar.gateway.http;

import static dev.crossbar.gateway.testing.CodedBodies.deflate;
import static dev.crossbar.gateway.testing.CodedBodies.gzip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.gateway.proxy.BodyReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RequestInflaterTest {

    private static final long LIMIT = 65_536;

    /** What the pipeline behind the inflater received for one request: its body's bytes and how it ended. */
    @SuppressWarnings("ArrayRecordComponent") // a test's bytes, compared with assertArrayEquals
    private record Received(HttpRequest request, byte[] body, boolean ended) {}

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(RequestInflater.NAME, new RequestInflater(LIMIT));
        return channel;
    }

    private static HttpRequest request(String coding) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions");
        if (coding != null) {
            request.headers().set("content-encoding", coding);
        }
        return request;
    }

    private static Received send(EmbeddedChannel channel, String coding, byte[]... chunks) {
        channel.writeInbound(request(coding));
        for (int i = 0; i < chunks.length; i++) {
            ByteBuf bytes = Unpooled.wrappedBuffer(chunks[i]);
            channel.writeInbound(
                    i == chunks.length - 1 ? new DefaultLastHttpContent(bytes) : new DefaultHttpContent(bytes));
        }
        HttpRequest head = assertInstanceOf(HttpRequest.class, channel.readInbound());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean ended = false;
        for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
            assertFalse(ended, "nothing after the body's end");
            HttpContent content = (HttpContent) msg;
            byte[] bytes = new byte[content.content().readableBytes()];
            content.content().readBytes(bytes);
            body.writeBytes(bytes);
            ended = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
        }
        return new Received(head, body.toByteArray(), ended);
    }

    @Test
    void plainRequestsPassUntouchedWithoutADecompressor() {
        EmbeddedChannel channel = channel();
        for (String coding : new String[] {null, "identity", "IDENTITY"}) {
            byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            Received received = send(channel, coding, json);
            assertArrayEquals(json, received.body());
            assertTrue(received.ended());
        }
        assertNull(channel.pipeline().get(HttpContentDecompressor.class), "plain requests cost no decompressor");
        assertInstanceOf(RequestInflater.class, channel.pipeline().get(RequestInflater.NAME));
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aCodedRequestIsInflatedAndThoseAfterItToo() throws IOException {
        EmbeddedChannel channel = channel();
        byte[] json = "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] gz = gzip(json);
        Received first = send(channel, "gzip", Arrays.copyOf(gz, 10), Arrays.copyOfRange(gz, 10, gz.length));
        assertArrayEquals(json, first.body());
        assertTrue(first.ended());
        assertNull(first.request().headers().get("content-encoding"), "the decoded body has no coding left");
        assertInstanceOf(HttpContentDecompressor.class, channel.pipeline().get(RequestInflater.NAME));
        assertArrayEquals(json, send(channel, null, json).body());
        assertArrayEquals(json, send(channel, "gzip", gz).body());
        assertFalse(channel.hasAttr(BodyReader.UNDECODABLE));
        channel.finishAndReleaseAll();
    }

    @Test
    void aBodyInflatingPastTheLimitEndsThereAndIsRefused() throws IOException {
        EmbeddedChannel channel = channel();
        byte[] inflated = new byte[64 * 1024 * 1024];
        Arrays.fill(inflated, (byte) ' ');
        byte[] bomb = gzip(inflated);
        Received received = send(
                channel,
                "gzip",
                Arrays.copyOf(bomb, bomb.length / 2),
                Arrays.copyOfRange(bomb, bomb.length / 2, bomb.length));
        assertTrue(
                received.body().length <= LIMIT + 1, "inflated no further than the limit: " + received.body().length);
        assertTrue(received.ended(), "the body ends for the server, which then answers");
        CodecException refused = failure(channel, received);
        assertEquals(413, refused.error().status());
        channel.finishAndReleaseAll();
    }

    @Test
    void aDamagedBodyEndsThereAndSaysWhy() throws IOException {
        EmbeddedChannel channel = channel();
        byte[] notGzip = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        Received received = send(channel, "gzip", notGzip, notGzip);
        assertTrue(received.ended());
        CodecException refused = failure(channel, received);
        assertEquals(400, refused.error().status());
        assertTrue(
                refused.error().message().contains("Content-Encoding"),
                refused.error().message());
        channel.finishAndReleaseAll();
    }

    @Test
    void aBodyCutBeforeItsCodedStreamEndsIsRefusedAndTheRequestAfterItIsServed() throws IOException {
        EmbeddedChannel channel = channel();
        byte[] json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] gz = gzip(json);
        for (int cut : new int[] {gz.length - 8, gz.length / 2, 10}) {
            Received received = send(channel, "gzip", Arrays.copyOf(gz, cut));
            CodecException refused = failure(channel, received);
            assertEquals(400, refused.error().status(), "cut at " + cut);
            assertTrue(
                    refused.error().message().contains("Content-Encoding"),
                    refused.error().message());
            assertTrue(
                    refused.error().message().contains("ends before"),
                    refused.error().message());
        }
        Received whole = send(channel, "gzip", gz);
        assertArrayEquals(json, whole.body());
        assertNull(
                channel.attr(BodyReader.UNDECODABLE).get().get(whole.request().headers()));
        channel.finishAndReleaseAll();
    }

    @Test
    void bytesAfterTheCodedStreamAreRefusedNotDropped() throws IOException {
        EmbeddedChannel channel = channel();
        byte[] first = gzip("{\"model\":\"m\",".getBytes(StandardCharsets.UTF_8));
        byte[] second = gzip("\"messages\":[]}".getBytes(StandardCharsets.UTF_8));
        byte[] members = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, members, first.length, second.length);
        for (byte[][] chunks :
                new byte[][][] {{members}, {first, second}, {first, "{}".getBytes(StandardCharsets.UTF_8)}}) {
            CodecException refused = failure(channel, send(channel, "gzip", chunks));
            assertEquals(400, refused.error().status());
            assertTrue(
                    refused.error().message().contains("goes on after"),
                    refused.error().message());
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void aDeflatedBodyCutShortIsRefusedToo() {
        EmbeddedChannel channel = channel();
        byte[] json = "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] deflated = deflate(json);
        assertArrayEquals(json, send(channel, "deflate", deflated).body());
        Received cut = send(channel, "deflate", Arrays.copyOf(deflated, deflated.length - 4));
        assertEquals(400, failure(channel, cut).error().status());
        channel.finishAndReleaseAll();
    }

    @Test
    void anEmptyBodyWithACodingIsEmpty() {
        EmbeddedChannel channel = channel();
        Received received = send(channel, "gzip", new byte[0]);
        assertEquals(0, received.body().length);
        assertTrue(received.ended());
        assertFalse(channel.hasAttr(BodyReader.UNDECODABLE), "nothing to inflate is not a damaged stream");
        channel.finishAndReleaseAll();
    }

    @Test
    void theConnectionClosesOnceTheFailedBodysAnswerIsWritten() {
        EmbeddedChannel channel = channel();
        byte[] notGzip = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        send(channel, "gzip", notGzip);
        assertClosedOnceTheFailedRequestsAnswerIsWhole(channel);
    }

    @Test
    void aFailedBodyBehindPipelinedRequestsClosesTheConnectionOnlyAfterItsOwnAnswer() throws IOException {
        EmbeddedChannel channel = channel();
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        send(channel, null, json);
        send(channel, "gzip", gzip(json));
        Received failed = send(channel, "gzip", "{\"model\":\"not gzip\"}".getBytes(StandardCharsets.UTF_8));
        Received after = send(channel, null, json);
        assertNotNull(failure(channel, failed));
        assertNull(
                channel.attr(BodyReader.UNDECODABLE).get().get(after.request().headers()), "only its own");
        for (int answer = 1; answer <= 2; answer++) {
            channel.writeOutbound(new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
            channel.writeOutbound(
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER));
            assertTrue(channel.isOpen(), "open after the answer to request " + answer + ", before the failed one");
        }
        assertClosedOnceTheFailedRequestsAnswerIsWhole(channel);
    }

    /** Writes the failed request's 400 in two parts: the connection stays open until its end, then closes. */
    private static void assertClosedOnceTheFailedRequestsAnswerIsWhole(EmbeddedChannel channel) {
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST));
        assertTrue(channel.isOpen(), "open until the failed request's answer is whole");
        channel.writeOutbound(new DefaultLastHttpContent());
        assertFalse(channel.isOpen(), "closed after it: the failure is never a later request's");
        channel.finishAndReleaseAll();
    }

    @Test
    void eachFailedBodyIsItsOwnRequests() throws IOException {
        EmbeddedChannel channel = channel();
        byte[] notCoded = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        Received damaged = send(channel, "gzip", notCoded);
        Received fine = send(channel, "gzip", gzip(notCoded));
        Received bomb = send(channel, "gzip", gzip(new byte[(int) LIMIT * 4]));
        assertEquals(400, failure(channel, damaged).error().status());
        assertArrayEquals(notCoded, fine.body());
        assertNull(channel.attr(BodyReader.UNDECODABLE).get().get(fine.request().headers()));
        assertEquals(413, failure(channel, bomb).error().status());
        channel.finishAndReleaseAll();
    }

    /** Why the body of the request received could not be inflated, as its reader finds it. */
    private static CodecException failure(EmbeddedChannel channel, Received received) {
        assertTrue(received.ended(), "the body ends for the server, which then answers");
        CodecException failure = channel.attr(BodyReader.UNDECODABLE)
                .get()
                .get(received.request().headers());
        assertNotNull(failure);
        return failure;
    }

    @Test
    void anAnswerAfterAnInflatedBodyLeavesTheConnectionOpen() throws IOException {
        EmbeddedChannel channel = channel();
        send(channel, "gzip", gzip("{}".getBytes(StandardCharsets.UTF_8)));
        channel.writeOutbound(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER));
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    private static void assertArrayEquals(byte[] expected, byte[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                expected,
                actual,
                new String(expected, StandardCharsets.UTF_8) + " != " + new String(actual, StandardCharsets.UTF_8));
    }
}
