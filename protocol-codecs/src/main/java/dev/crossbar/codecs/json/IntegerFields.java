package dev.crossbar.codecs.json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The integer members {@link TopLevelScan#integers} reads of one object without building its tree, by path: a name
 * ({@code "prompt_tokens"}) or a name in an object of it ({@code "prompt_tokens_details.cached_tokens"}). A read
 * gives one value per path, in the order the paths were given, {@link #ABSENT} for a path the object lacks.
 */
public final class IntegerFields {

    /** A path's value when the object does not have it. */
    public static final long ABSENT = Long.MIN_VALUE;

    /** A level's names: each a value's index into the read ({@link #index}) or an object ({@link #nested}). */
    final String[] names;

    final int[] index;
    final @Nullable IntegerFields[] nested;
    private final int paths;

    private IntegerFields(String[] names, int[] index, @Nullable IntegerFields[] nested, int paths) {
        this.names = names;
        this.index = index;
        this.nested = nested;
        this.paths = paths;
    }

    /** The fields at {@code paths}: names, or two names joined by a dot; at most 64 names a level. */
    public static IntegerFields of(String... paths) {
        return level(List.of(paths));
    }

    /** One value per path, each {@link #ABSENT}: what a read fills in. */
    long[] absent() {
        long[] values = new long[paths];
        Arrays.fill(values, ABSENT);
        return values;
    }

    /** The top level of {@code paths}: a value's index is its path's place in them. */
    private static IntegerFields level(List<String> paths) {
        Map<String, List<Integer>> inner = new LinkedHashMap<>();
        Map<String, Integer> direct = new LinkedHashMap<>();
        for (int k = 0; k < paths.size(); k++) {
            String path = paths.get(k);
            int dot = path.indexOf('.');
            if (dot < 0) {
                direct.put(path, k);
            } else {
                inner.computeIfAbsent(path.substring(0, dot), n -> new ArrayList<>())
                        .add(k);
            }
        }
        int size = direct.size() + inner.size();
        if (size > 64) {
            throw new IllegalArgumentException("more than 64 names at one level: " + paths);
        }
        String[] names = new String[size];
        int[] index = new int[size];
        IntegerFields[] nested = new IntegerFields[size];
        int n = 0;
        for (Map.Entry<String, Integer> e : direct.entrySet()) {
            if (inner.containsKey(e.getKey())) {
                throw new IllegalArgumentException(e.getKey() + " is both an integer and an object");
            }
            names[n] = e.getKey();
            index[n++] = e.getValue();
        }
        for (Map.Entry<String, List<Integer>> e : inner.entrySet()) {
            names[n] = e.getKey();
            index[n] = -1;
            nested[n++] = nestedLevel(paths, e.getValue());
        }
        return new IntegerFields(names, index, nested, paths.size());
    }

    /** The object {@code name} of one level: its own names, each keeping its path's index. */
    private static IntegerFields nestedLevel(List<String> paths, List<Integer> members) {
        if (members.size() > 64) {
            throw new IllegalArgumentException("more than 64 names in one object: " + members.size());
        }
        String[] names = new String[members.size()];
        int[] index = new int[members.size()];
        for (int m = 0; m < members.size(); m++) {
            String path = paths.get(members.get(m));
            String name = path.substring(path.indexOf('.') + 1);
            if (name.indexOf('.') >= 0) {
                throw new IllegalArgumentException("a path of more than two names: " + path);
            }
            names[m] = name;
            index[m] = members.get(m);
        }
        return new IntegerFields(names, index, new IntegerFields[names.length], paths.size());
    }
}
