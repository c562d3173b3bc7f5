package dev.crossbar.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link FlatHeaders} answers as Netty's {@link DefaultHttpHeaders} (without validation) does, after any sequence of
 * changes: names of any case, repeated names, values of other types.
 */
class FlatHeadersProperties {

    /** One change, applied to both maps. */
    private record Change(int kind, String name, Object value) {

        void apply(HttpHeaders headers) {
            switch (kind) {
                case 0, 1 -> headers.add(name, value);
                case 2 -> headers.add(new AsciiString(name), value);
                case 3 -> headers.set(name, value);
                case 4 -> headers.remove(name);
                case 5 -> headers.addInt(name, value.hashCode());
                case 6 -> headers.set(new AsciiString(name), List.of(value, value + "-2"));
                case 7 -> headers.add(name, List.of(value));
                default -> headers.clear();
            }
        }
    }

    @Property(tries = 2000)
    void answersAsNettysOwnHeadersDo(@ForAll("changes") List<Change> changes, @ForAll("names") String asked) {
        HttpHeaders netty =
                DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        HttpHeaders flat = new FlatHeaders();
        for (Change change : changes) {
            change.apply(netty);
            change.apply(flat);
        }
        assertEquals(netty.size(), flat.size());
        assertEquals(netty.isEmpty(), flat.isEmpty());
        assertEquals(texts(netty.entries()), texts(flat.entries()));
        assertEquals(strings(netty.iteratorCharSequence()), strings(flat.iteratorCharSequence()));
        // Netty's own can name a header twice (as a String and as an AsciiString): the names are compared without case.
        assertEquals(lowerCase(netty.names()), lowerCase(flat.names()));
        for (String name : List.of(asked, asked.toUpperCase(Locale.ROOT), "content-length", "Connection")) {
            assertEquals(netty.get(name), flat.get(name), name);
            assertEquals(netty.get(new AsciiString(name)), flat.get(new AsciiString(name)), name);
            assertEquals(netty.getAll(name), flat.getAll(name), name);
            assertEquals(netty.contains(name), flat.contains(name), name);
            assertEquals(values(netty.valueStringIterator(name)), values(flat.valueStringIterator(name)), name);
            assertEquals(
                    values(netty.valueCharSequenceIterator(name)), values(flat.valueCharSequenceIterator(name)), name);
            assertEquals(netty.getInt(name), flat.getInt(name), name);
            assertEquals(netty.getShort(name), flat.getShort(name), name);
            assertEquals(nettysTime(netty, name), flat.getTimeMillis(name), name);
            assertEquals(netty.contains(name, "close", true), flat.contains(name, "close", true), name);
            assertEquals(netty.containsValue(name, "chunked", true), flat.containsValue(name, "chunked", true), name);
        }
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("content-length", "Content-Length", "CONNECTION", "connection", "x-a", "X-A", "date");
    }

    @Provide
    @SuppressWarnings("JavaUtilDate") // Netty's API
    Arbitrary<List<Change>> changes() {
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.of("close", "keep-alive", "chunked", "gzip, chunked", "Close", "12", "-3", "x", ""),
                Arbitraries.integers().between(-40_000, 70_000).map(i -> (Object) i),
                Arbitraries.longs().between(0, 4_102_444_800_000L).map(ms -> (Object) new Date(ms / 1000 * 1000)));
        Arbitrary<Change> change = Combinators.combine(Arbitraries.integers().between(0, 8), names(), values)
                .as(Change::new);
        return change.list().ofMaxSize(12);
    }

    /** Netty throws an undeclared ParseException for a value that is not a date, where these answer null. */
    private static @Nullable Long nettysTime(HttpHeaders netty, String name) {
        try {
            return netty.getTimeMillis(name);
        } catch (Exception notADate) {
            return null;
        }
    }

    private static List<String> values(Iterator<? extends CharSequence> values) {
        List<String> all = new ArrayList<>();
        values.forEachRemaining(v -> all.add(v.toString()));
        return all;
    }

    private static Set<String> lowerCase(Set<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static List<String> texts(List<Map.Entry<String, String>> entries) {
        return entries.stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    private static List<String> strings(Iterator<Map.Entry<CharSequence, CharSequence>> entries) {
        List<String> all = new ArrayList<>();
        entries.forEachRemaining(e -> all.add(e.getKey() + ": " + e.getValue()));
        return all;
    }

    @Test
    void nettysDecoderReadsAnAnswerIntoThem() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseDecoder(new HttpDecoderConfig()
                .setHeadersFactory(FlatHeaders.FACTORY)
                .setTrailersFactory(FlatHeaders.FACTORY)));
        String text = """
                HTTP/1.1 200 OK\r
                Content-Type: application/json\r
                Transfer-Encoding: chunked\r
                X-RateLimit-Remaining-Requests: 9\r
                x-ratelimit-remaining-requests: 8\r
                \r
                2\r
                {}\r
                0\r
                X-Trailer: t\r
                \r
                """;
        ByteBuf answer = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        channel.writeInbound(answer);
        HttpResponse head = channel.readInbound();
        assertEquals(FlatHeaders.class, head.headers().getClass());
        assertTrue(HttpUtil.isTransferEncodingChunked(head));
        assertEquals(List.of("9", "8"), head.headers().getAll("X-RATELIMIT-REMAINING-REQUESTS"));
        LastHttpContent last = null;
        for (Object read; (read = channel.readInbound()) != null; ) {
            if (read instanceof LastHttpContent end) {
                last = end;
            } else {
                ReferenceCountUtil.release(read);
            }
        }
        assertNotNull(last, "the answer's end");
        assertEquals(FlatHeaders.class, last.trailingHeaders().getClass());
        assertEquals("t", last.trailingHeaders().get("x-trailer"));
        last.release();
    }

    @Test
    void printedTheyShowNoValue() {
        HttpHeaders flat =
                new FlatHeaders().add("Authorization", "Bearer sk-secret").add("Host", "a");
        assertEquals("FlatHeaders[Authorization, Host]", flat.toString());
        assertEquals("Authorization", flat.iteratorCharSequence().next().toString());
    }

    @Test
    void anEntryIsNotChangedInPlace() {
        HttpHeaders flat = new FlatHeaders().add("a", "1");
        Map.Entry<CharSequence, CharSequence> entry =
                flat.iteratorCharSequence().next();
        assertThrows(UnsupportedOperationException.class, () -> entry.setValue("2"));
    }
}
