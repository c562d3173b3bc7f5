package dev.crossbar.gateway.metrics;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * The access log's encoder: the bytes of logback's {@code %d{HH:mm:ss.SSS} ACCESS %msg%n} (or {@code %msg%n}
 * when not {@link #setTimestamped timestamped}, for {@code node.jsonLogs}), written by {@link #write} into one
 * reused buffer. The pattern encoder built a string builder, a string and a byte array per line on the access
 * log's writer thread, about 1.5 KB a request (docs/benchmarks.md). Same time zone (the system's, read at
 * start), same charset (the platform's unless {@link #setCharset set}), so the same bytes.
 */
public final class AccessLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final byte[] ACCESS = " ACCESS ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE_END = CoreConstants.LINE_SEPARATOR.getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_KEPT_BUFFER = 16 * 1024;

    private boolean timestamped = true;
    private Charset charset = Charset.defaultCharset();
    private ZoneId zone = ZoneId.systemDefault();

    /** The second {@link #clock} holds, as epoch seconds. */
    private long clockSecond = Long.MIN_VALUE;
    /** {@code HH:mm:ss.} of {@link #clockSecond} in the zone. */
    private final byte[] clock = new byte[9];

    private byte[] buffer = new byte[512];
    private char[] chars = new char[512];

    /** False for the bare message and line end (JSON lines carry their own time). */
    public void setTimestamped(boolean timestamped) {
        this.timestamped = timestamped;
    }

    public void setCharset(Charset charset) {
        this.charset = charset;
    }

    @Override
    public void start() {
        zone = ZoneId.systemDefault();
        clockSecond = Long.MIN_VALUE;
        super.start();
    }

    @Override
    public byte[] headerBytes() {
        return new byte[0];
    }

    @Override
    public byte[] footerBytes() {
        return new byte[0];
    }

    /** The line's bytes in an array of their own (for appenders that are not {@link BufferedStdoutAppender}). */
    @Override
    public synchronized byte[] encode(ILoggingEvent event) {
        int length = fill(event);
        return Arrays.copyOf(buffer, length);
    }

    /** Writes the line to {@code out} from the encoder's own buffer, allocating nothing for a line that fits. */
    public void write(ILoggingEvent event, OutputStream out) throws IOException {
        write(event.getTimeStamp(), String.valueOf(event.getFormattedMessage()), out);
    }

    /** Writes the line an event logged at {@code millis} with the message {@code message} would have. */
    public synchronized void write(long millis, CharSequence message, OutputStream out) throws IOException {
        int length = fill(millis, message);
        out.write(buffer, 0, length);
        if (buffer.length > MAX_KEPT_BUFFER) {
            buffer = new byte[512];
            chars = new char[512];
        }
    }

    private int fill(ILoggingEvent event) {
        return fill(event.getTimeStamp(), String.valueOf(event.getFormattedMessage()));
    }

    /** Puts the line in {@link #buffer}; returns its length. */
    private int fill(long millis, CharSequence message) {
        int at = 0;
        if (timestamped) {
            at = time(millis);
            at = put(ACCESS, at);
        }
        at = charset.equals(StandardCharsets.UTF_8)
                ? utf8(message, at)
                : put(message.toString().getBytes(charset), at);
        return put(LINE_END, at);
    }

    /** {@code HH:mm:ss.SSS} of {@code millis} in the zone, as logback's {@code %d{HH:mm:ss.SSS}} writes it. */
    private int time(long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != clockSecond) {
            LocalTime t = Instant.ofEpochSecond(second).atZone(zone).toLocalTime();
            twoDigits(clock, 0, t.getHour());
            clock[2] = ':';
            twoDigits(clock, 3, t.getMinute());
            clock[5] = ':';
            twoDigits(clock, 6, t.getSecond());
            clock[8] = '.';
            clockSecond = second;
        }
        int at = put(clock, 0);
        ensure(at + 3);
        int ms = Math.floorMod(millis, 1000);
        buffer[at] = (byte) ('0' + ms / 100);
        buffer[at + 1] = (byte) ('0' + ms / 10 % 10);
        buffer[at + 2] = (byte) ('0' + ms % 10);
        return at + 3;
    }

    private static void twoDigits(byte[] into, int at, int value) {
        into[at] = (byte) ('0' + value / 10);
        into[at + 1] = (byte) ('0' + value % 10);
    }

    /** UTF-8 as {@link String#getBytes(Charset)} writes it: an unpaired surrogate becomes {@code ?}. */
    private int utf8(CharSequence text, int at) {
        int n = text.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, 2 * chars.length)];
        }
        // Copied out in bulk first: a loop of charAt on a StringBuilder (the access log's own line) checks every index.
        if (text instanceof String string) {
            string.getChars(0, n, chars, 0);
        } else if (text instanceof StringBuilder builder) {
            builder.getChars(0, n, chars, 0);
        } else {
            for (int i = 0; i < n; i++) {
                chars[i] = text.charAt(i);
            }
        }
        char[] s = chars;
        ensure(at + 3 * n); // at most three bytes a char: a surrogate pair (two chars) makes four
        for (int i = 0; i < n; i++) {
            char c = s[i];
            if (c < 0x80) {
                buffer[at++] = (byte) c;
            } else if (c < 0x800) {
                buffer[at++] = (byte) (0xc0 | c >> 6);
                buffer[at++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s[i + 1])) {
                int cp = Character.toCodePoint(c, s[++i]);
                buffer[at++] = (byte) (0xf0 | cp >> 18);
                buffer[at++] = (byte) (0x80 | (cp >> 12 & 0x3f));
                buffer[at++] = (byte) (0x80 | (cp >> 6 & 0x3f));
                buffer[at++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                buffer[at++] = '?';
            } else {
                buffer[at++] = (byte) (0xe0 | c >> 12);
                buffer[at++] = (byte) (0x80 | (c >> 6 & 0x3f));
                buffer[at++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return at;
    }

    private int put(byte[] bytes, int at) {
        ensure(at + bytes.length);
        System.arraycopy(bytes, 0, buffer, at, bytes.length);
        return at + bytes.length;
    }

    private void ensure(int length) {
        if (length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(length, buffer.length * 2));
        }
    }
}
