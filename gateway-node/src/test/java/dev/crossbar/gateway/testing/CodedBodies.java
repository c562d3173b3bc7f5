package dev.crossbar.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Request bodies coded as clients code them ({@code Content-Encoding: gzip}, {@code deflate}), for tests. */
public final class CodedBodies {

    private CodedBodies() {}

    /** One whole gzip member. */
    public static byte[] gzip(byte[] bytes) {
        return coded(bytes, GZIPOutputStream::new);
    }

    /** One whole zlib stream (what {@code deflate} names). */
    public static byte[] deflate(byte[] bytes) {
        return coded(bytes, DeflaterOutputStream::new);
    }

    private interface Coder {
        OutputStream over(OutputStream out) throws IOException;
    }

    private static byte[] coded(byte[] bytes, Coder coder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream coding = coder.over(out)) {
            coding.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
