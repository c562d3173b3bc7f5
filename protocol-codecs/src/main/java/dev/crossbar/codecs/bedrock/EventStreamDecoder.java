package dev.crossbar.codecs.bedrock;

import dev.crossbar.codecs.sse.StreamFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The AWS event-stream binary framing, decoded as bytes arrive in chunks split anywhere: each message is a
 * prelude (total length, headers length, CRC32 of those eight bytes), the headers, the payload and a CRC32 of all
 * that precedes it. A message is handed on only when whole and both checksums hold; a bad checksum, a length out
 * of bounds or a malformed header is a {@link StreamFormatException}, after which the decoder takes nothing more.
 */
public final class EventStreamDecoder {

    /** AWS caps a message's payload at 16 MiB; its headers at 128 KiB. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 128 * 1024 + 16;

    private static final int PRELUDE_BYTES = 12;
    private static final int CRC_BYTES = 4;

    private enum State {
        PRELUDE,
        MESSAGE,
        CORRUPTED
    }

    private State state = State.PRELUDE;
    private byte[] buffer = new byte[1024];
    private int filled;
    private int totalLength;

    /** Takes {@code bytes[offset, offset+length)} and hands each message completed by them to {@code out}. */
    public void feed(byte[] bytes, int offset, int length, Consumer<EventStreamMessage> out) {
        if (state == State.CORRUPTED) {
            throw new StreamFormatException("the event stream was already corrupted");
        }
        int at = offset;
        int end = offset + length;
        while (at < end) {
            int want = (state == State.PRELUDE ? PRELUDE_BYTES : totalLength) - filled;
            int take = Math.min(want, end - at);
            ensure(filled + take);
            System.arraycopy(bytes, at, buffer, filled, take);
            filled += take;
            at += take;
            if (take < want) {
                return;
            }
            if (state == State.PRELUDE) {
                readPrelude();
                if (filled < totalLength) {
                    continue;
                }
            }
            out.accept(readMessage());
            filled = 0;
            state = State.PRELUDE;
        }
    }

    /** True when no part of a message waits for more bytes: the stream may end here. */
    public boolean atBoundary() {
        return state == State.PRELUDE && filled == 0;
    }

    private void readPrelude() {
        int total = readInt(buffer, 0);
        int headers = readInt(buffer, 4);
        if (crc(buffer, 0, 8) != (readInt(buffer, 8) & 0xFFFFFFFFL)) {
            throw corrupted("prelude checksum mismatch");
        }
        if (total < PRELUDE_BYTES + CRC_BYTES || total > MAX_MESSAGE_BYTES) {
            throw corrupted("message length " + Integer.toUnsignedString(total) + " out of bounds");
        }
        if (headers < 0 || headers > total - PRELUDE_BYTES - CRC_BYTES) {
            throw corrupted("headers length " + Integer.toUnsignedString(headers) + " out of bounds");
        }
        totalLength = total;
        state = State.MESSAGE;
    }

    private EventStreamMessage readMessage() {
        int crcAt = totalLength - CRC_BYTES;
        if (crc(buffer, 0, crcAt) != (readInt(buffer, crcAt) & 0xFFFFFFFFL)) {
            throw corrupted("message checksum mismatch");
        }
        int headersEnd = PRELUDE_BYTES + readInt(buffer, 4);
        Map<String, String> headers = readHeaders(PRELUDE_BYTES, headersEnd);
        return new EventStreamMessage(headers, Arrays.copyOfRange(buffer, headersEnd, crcAt));
    }

    private Map<String, String> readHeaders(int from, int to) {
        Map<String, String> headers = new HashMap<>();
        int at = from;
        while (at < to) {
            int nameLength = buffer[at++] & 0xFF;
            need(at + nameLength + 1, to);
            String name = new String(buffer, at, nameLength, StandardCharsets.UTF_8);
            at += nameLength;
            int type = buffer[at++];
            String value;
            switch (type) {
                case 0, 1 -> value = type == 0 ? "true" : "false";
                case 2 -> {
                    need(at + 1, to);
                    value = Byte.toString(buffer[at]);
                    at += 1;
                }
                case 3 -> {
                    need(at + 2, to);
                    value = Short.toString((short) (((buffer[at] & 0xFF) << 8) | (buffer[at + 1] & 0xFF)));
                    at += 2;
                }
                case 4 -> {
                    need(at + 4, to);
                    value = Integer.toString(readInt(buffer, at));
                    at += 4;
                }
                case 5, 8 -> {
                    need(at + 8, to);
                    value = Long.toString(((long) readInt(buffer, at) << 32) | (readInt(buffer, at + 4) & 0xFFFFFFFFL));
                    at += 8;
                }
                case 6, 7 -> {
                    need(at + 2, to);
                    int length = ((buffer[at] & 0xFF) << 8) | (buffer[at + 1] & 0xFF);
                    at += 2;
                    need(at + length, to);
                    value = type == 7
                            ? new String(buffer, at, length, StandardCharsets.UTF_8)
                            : java.util.Base64.getEncoder().encodeToString(Arrays.copyOfRange(buffer, at, at + length));
                    at += length;
                }
                case 9 -> {
                    need(at + 16, to);
                    value = java.util.HexFormat.of().formatHex(buffer, at, at + 16);
                    at += 16;
                }
                default -> throw corrupted("unknown header value type " + type);
            }
            headers.put(name, value);
        }
        return headers;
    }

    private void need(int upTo, int limit) {
        if (upTo > limit) {
            throw corrupted("a header runs past the headers");
        }
    }

    private void ensure(int capacity) {
        if (capacity > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(capacity, Math.min(MAX_MESSAGE_BYTES, buffer.length * 2)));
        }
    }

    private StreamFormatException corrupted(String why) {
        state = State.CORRUPTED;
        return new StreamFormatException("event stream " + why);
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    static long crc(byte[] b, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(b, from, to - from);
        return crc.getValue();
    }
}
