package dev.crossbar.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 request on a plain socket, for what {@code java.net.http} cannot do: leave in the middle of
 * an answer, stop reading, or read slowly through a small receive window.
 */
final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closedByServer;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends a POST with the client key; {@code receiveBuffer} > 0 shrinks the socket's receive window. */
    static RawHttp post(String baseUrl, String path, String body, int receiveBuffer) throws IOException {
        URI uri = URI.create(baseUrl);
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Authorization: Bearer " + GatewayHarness.CLIENT_KEY + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return new RawHttp(socket);
    }

    /** Sends {@code request} as it is (head and body, whatever their framing), for a request a client got wrong. */
    static RawHttp send(String baseUrl, String request) throws IOException {
        URI uri = URI.create(baseUrl);
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return new RawHttp(socket);
    }

    static RawHttp post(String baseUrl, String path, String body) throws IOException {
        return post(baseUrl, path, body, 0);
    }

    /** Reads until {@code text} has arrived; false when the deadline passes or the server closes first. */
    boolean awaitText(String text, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!received().contains(text)) {
            if (closedByServer || !readOnce(deadline)) {
                return received().contains(text);
            }
        }
        return true;
    }

    /** Reads until the server closes the connection; false when the deadline passes first. */
    boolean readToEnd(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closedByServer) {
            if (!readOnce(deadline)) {
                return closedByServer;
            }
        }
        return true;
    }

    /** Everything received so far, head and (still chunked) body. */
    String received() {
        return received.toString(StandardCharsets.UTF_8);
    }

    /** The status of the answer's head, or -1 before it arrived. */
    int status() {
        String text = received();
        return text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
    }

    /** The body received so far, taken out of its chunked framing. */
    String body() {
        String text = received();
        int start = text.indexOf("\r\n\r\n");
        if (start < 0) {
            return "";
        }
        String head = text.substring(0, start).toLowerCase(Locale.ROOT);
        String rest = text.substring(start + 4);
        if (!head.contains("transfer-encoding: chunked")) {
            return rest;
        }
        byte[] raw = rest.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length) {
            int lineEnd = indexOfCrlf(raw, i);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(new String(raw, i, lineEnd - i, StandardCharsets.US_ASCII).trim(), 16);
            int from = lineEnd + 2;
            if (size == 0 || from + size > raw.length) {
                body.write(raw, from, Math.max(0, Math.min(size, raw.length - from)));
                break;
            }
            body.write(raw, from, size);
            i = from + size + 2;
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static int indexOfCrlf(byte[] raw, int from) {
        for (int i = from; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** One read of what is there; false at the deadline. */
    private boolean readOnce(long deadlineNanos) throws IOException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            return false;
        }
        socket.setSoTimeout((int) Math.max(1, left));
        byte[] buffer = new byte[8192];
        try {
            int n = in.read(buffer);
            if (n < 0) {
                closedByServer = true;
                return true;
            }
            received.write(buffer, 0, n);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            closedByServer = true;
            return true;
        }
    }

    boolean closedByServer() {
        return closedByServer;
    }

    /** Leaves at once, as a client that gives up does. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
