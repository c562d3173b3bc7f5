package dev.crossbar.gateway.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.TimeUnit;

/**
 * How an answer ends its client's connection, in the connection's protocol. HTTP/2 forbids {@code Connection: close}
 * (RFC 9113 8.2.2): a client would meet a stream error instead of the answer.
 */
public final class ConnectionEnds {

    /** HTTP/2's error code for a stream no longer needed (RFC 9113 7). */
    private static final long CANCEL = 8;

    /**
     * How long an HTTP/1.x connection said closed waits for its request to end and its answer to be written before it
     * is closed anyway: a backstop only, since the exchange's own deadlines (the body's read, the drain) end it first.
     */
    private static final long CLOSE_BACKSTOP_MINUTES = 10;

    private ConnectionEnds() {}

    /**
     * The connection closes once this answer is written (what comes after this request on it cannot be read): HTTP/1.x
     * says so in {@code Connection: close} and closes it. An HTTP/2 stream is this request's alone, and the
     * connection's other streams go on.
     */
    public static void closeAfter(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2) {
            closeOnceAnswered(request);
        }
    }

    /**
     * The client should send its next requests elsewhere (the node is draining): {@code Connection: close} on HTTP/1.x,
     * a GOAWAY on HTTP/2, which lets the streams open finish and refuses new ones, so the client opens a connection
     * again, through its load balancer to another node.
     */
    public static void sendElsewhere(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            request.connection().goAway(0);
        } else {
            closeOnceAnswered(request);
        }
    }

    /**
     * {@code Connection: close}, and the close itself: a server that says it must close (RFC 9112 9.6), and Vert.x
     * closes on its own only when the request asked. A shutdown lets this request's body end and its answer be written,
     * then closes, and takes no request that comes after on the connection.
     */
    private static void closeOnceAnswered(HttpServerRequest request) {
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
        var unused = request.connection().shutdown(CLOSE_BACKSTOP_MINUTES, TimeUnit.MINUTES);
    }

    /**
     * Gives up on a request whose body never ends after its answer: HTTP/1.x can only close the connection; an
     * HTTP/2 stream is reset (CANCEL) and the connection's other streams go on.
     */
    public static void cut(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            var unused = request.response().reset(CANCEL);
        } else {
            var unused = request.connection().close();
        }
    }
}
