package dev.crossbar.gateway.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * How an answer ends its client's connection, in the connection's protocol. HTTP/2 forbids {@code Connection: close}
 * (RFC 9113 8.2.2): a client would meet a stream error instead of the answer.
 */
public final class ConnectionEnds {

    /** HTTP/2's error code for a stream no longer needed (RFC 9113 7). */
    private static final long CANCEL = 8;

    private ConnectionEnds() {}

    /**
     * The connection closes once this answer is written (what comes after this request on it cannot be read): HTTP/1.x
     * says so in {@code Connection: close}. An HTTP/2 stream is this request's alone, and the connection's other
     * streams go on.
     */
    public static void closeAfter(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2) {
            request.response().putHeader(HttpHeaders.CONNECTION, "close");
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
            request.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
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
