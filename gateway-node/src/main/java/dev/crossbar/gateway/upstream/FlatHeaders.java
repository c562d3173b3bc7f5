package dev.crossbar.gateway.upstream;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The headers of a call to a plain-HTTP provider, its request's and its answer's: names and values in one array in
 * the order they were added, looked up by a scan. A call has a dozen headers, for which Netty's hash table (an entry
 * of six fields per header, a table of sixteen, a head entry and two wrappers per map, trailers included) was a
 * tenth of the bytes a plain request allocated (docs/benchmarks.md, eighteenth pass). It behaves as {@link
 * io.netty.handler.codec.http.DefaultHttpHeaders} without validation does ({@code FlatHeadersProperties} holds the
 * two side by side): names compared without case, {@link #get} the first value, values kept as they were added. A
 * provider cannot make the scans long: the decoder bounds an answer's head at its 8 KB default.
 */
final class FlatHeaders extends HttpHeaders {

    /** Makes these for Netty's codec: the answer's headers and trailers. */
    static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new FlatHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return new FlatHeaders();
        }
    };

    private static final CharSequence[] NONE = new CharSequence[0];

    /** Each header's name, then its value. */
    private CharSequence[] pairs = NONE;

    private int size;

    /** One header, as iterated; its value is not changed in place ({@link #set} replaces it). */
    private record Header(CharSequence name, CharSequence value) implements Map.Entry<CharSequence, CharSequence> {

        @Override
        public CharSequence getKey() {
            return name;
        }

        @Override
        public CharSequence getValue() {
            return value;
        }

        @Override
        public CharSequence setValue(CharSequence value) {
            throw new UnsupportedOperationException("set the header instead");
        }

        /** The name only: a request's values carry the provider's key. */
        @Override
        public String toString() {
            return name.toString();
        }
    }

    @Override
    public @Nullable String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public @Nullable String get(CharSequence name) {
        int at = indexOf(name, 0);
        return at < 0 ? null : value(at).toString();
    }

    @Override
    public @Nullable Integer getInt(CharSequence name) {
        return parsed(name, value -> Integer.parseInt(value.toString()));
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer value = getInt(name);
        return value != null ? value : defaultValue;
    }

    @Override
    public @Nullable Short getShort(CharSequence name) {
        return parsed(name, value -> Short.parseShort(value.toString()));
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short value = getShort(name);
        return value != null ? value : defaultValue;
    }

    @Override
    @SuppressWarnings("JavaUtilDate") // Netty's API
    public @Nullable Long getTimeMillis(CharSequence name) {
        return parsed(name, value -> {
            Date date = DateFormatter.parseHttpDate(value);
            if (date == null) {
                throw new IllegalArgumentException("not an HTTP date");
            }
            return date.getTime();
        });
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        Long value = getTimeMillis(name);
        return value != null ? value : defaultValue;
    }

    private <T> @Nullable T parsed(CharSequence name, Function<CharSequence, T> parse) {
        int at = indexOf(name, 0);
        if (at < 0) {
            return null;
        }
        try {
            return parse.apply(value(at));
        } catch (RuntimeException notOfTheType) {
            return null;
        }
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        List<String> values = new ArrayList<>(0);
        for (int at = indexOf(name, 0); at >= 0; at = indexOf(name, at + 1)) {
            values.add(value(at).toString());
        }
        return values;
    }

    @Override
    public Iterator<String> valueStringIterator(CharSequence name) {
        return new Values<>(name, CharSequence::toString);
    }

    /** Without a list of them: Netty's {@link #containsValue}, which the codec asks of every answer, reads these. */
    @Override
    public Iterator<CharSequence> valueCharSequenceIterator(CharSequence name) {
        return new Values<>(name, value -> value);
    }

    /** Over one name's values, the last added first as in Netty's; they are not to be changed while it is used. */
    private final class Values<E> implements Iterator<E> {
        private final CharSequence name;
        private final Function<CharSequence, E> shown;
        private int at;

        Values(CharSequence name, Function<CharSequence, E> shown) {
            this.name = name;
            this.shown = shown;
            this.at = lastIndexOf(name, size - 1);
        }

        @Override
        public boolean hasNext() {
            return at >= 0;
        }

        @Override
        public E next() {
            if (at < 0) {
                throw new NoSuchElementException();
            }
            E value = shown.apply(value(at));
            at = lastIndexOf(name, at - 1);
            return value;
        }
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            entries.add(asStrings(header(i)));
        }
        return entries;
    }

    @Override
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    /** As Netty has it, deprecated for {@link #iteratorCharSequence}: the codec uses that one. */
    @Deprecated
    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return new Entries<>(FlatHeaders::asStrings);
    }

    private static Map.Entry<String, String> asStrings(Header header) {
        return new AbstractMap.SimpleImmutableEntry<>(header.name.toString(), header.value.toString());
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new Entries<>(header -> header);
    }

    /** Over the headers; they are not to be changed while it is used. */
    private final class Entries<E> implements Iterator<E> {
        private final Function<Header, E> shown;
        private int next;

        Entries(Function<Header, E> shown) {
            this.shown = shown;
        }

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public E next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            return shown.apply(header(next++));
        }
    }

    /** The names only, unlike Netty's: a request's values carry the provider's key. */
    @Override
    public String toString() {
        return "FlatHeaders" + names();
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            names.add(name(i).toString());
        }
        return names;
    }

    @Override
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        Objects.requireNonNull(name, "name");
        if (2 * size == pairs.length) {
            pairs = Arrays.copyOf(pairs, Math.max(16, 4 * size));
        }
        pairs[2 * size] = name;
        pairs[2 * size + 1] = text(value);
        size++;
        return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        for (Object value : values) {
            add(name, value);
        }
        return this;
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        return add(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        return add(name, Short.toString(value));
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        CharSequence text = text(value);
        remove(name);
        return add(name, text);
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        return set((CharSequence) name, values);
    }

    @Override
    public HttpHeaders set(CharSequence name, Iterable<?> values) {
        remove(name);
        return add(name, values);
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        return set(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        return set(name, Short.toString(value));
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!AsciiString.contentEqualsIgnoreCase(name(i), name)) {
                pairs[2 * kept] = name(i);
                pairs[2 * kept + 1] = value(i);
                kept++;
            }
        }
        Arrays.fill(pairs, 2 * kept, 2 * size, null);
        size = kept;
        return this;
    }

    @Override
    public HttpHeaders clear() {
        Arrays.fill(pairs, 0, 2 * size, null);
        size = 0;
        return this;
    }

    private CharSequence name(int header) {
        return pairs[2 * header];
    }

    private CharSequence value(int header) {
        return pairs[2 * header + 1];
    }

    private Header header(int header) {
        return new Header(name(header), value(header));
    }

    private int lastIndexOf(CharSequence name, int from) {
        for (int i = from; i >= 0; i--) {
            if (AsciiString.contentEqualsIgnoreCase(name(i), name)) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(CharSequence name, int from) {
        for (int i = from; i < size; i++) {
            if (AsciiString.contentEqualsIgnoreCase(name(i), name)) {
                return i;
            }
        }
        return -1;
    }

    /** A value as {@link io.netty.handler.codec.http.DefaultHttpHeaders} keeps it: dates in HTTP's form. */
    @SuppressWarnings("JavaUtilDate") // Netty's API
    private static CharSequence text(Object value) {
        Objects.requireNonNull(value, "value");
        if (value instanceof CharSequence text) {
            return text;
        }
        if (value instanceof Date date) {
            return DateFormatter.format(date);
        }
        if (value instanceof Calendar calendar) {
            return DateFormatter.format(calendar.getTime());
        }
        return value.toString();
    }
}
