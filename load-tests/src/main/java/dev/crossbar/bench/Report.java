package dev.crossbar.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Markdown tables and the marked sections of docs/benchmarks.md that a bench run replaces. */
final class Report {

    private Report() {}

    /** A markdown table; the first row is the header. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        Table row(Object... cells) {
            String[] r = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                r[i] = String.valueOf(cells[i]);
            }
            rows.add(r);
            return this;
        }

        String markdown() {
            int cols = rows.get(0).length;
            int[] width = new int[cols];
            for (String[] r : rows) {
                for (int i = 0; i < cols && i < r.length; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            StringBuilder b = new StringBuilder();
            for (int n = 0; n < rows.size(); n++) {
                String[] r = rows.get(n);
                b.append('|');
                for (int i = 0; i < cols; i++) {
                    String cell = i < r.length ? r[i] : "";
                    b.append(' ')
                            .append(cell)
                            .append(" ".repeat(width[i] - cell.length()))
                            .append(" |");
                }
                b.append('\n');
                if (n == 0) {
                    b.append('|');
                    for (int i = 0; i < cols; i++) {
                        b.append(i == 0 ? " :" : " ")
                                .append("-".repeat(Math.max(3, width[i] - 1)))
                                .append(i == 0 ? "- |" : ": |");
                    }
                    b.append('\n');
                }
            }
            return b.toString();
        }
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String ratio(double v) {
        return Double.isFinite(v) && v > 0 ? String.format(Locale.ROOT, "%.2fx", v) : "-";
    }

    /** Signed milliseconds, e.g. {@code +0.123}. */
    static String plus(double millis) {
        return String.format(Locale.ROOT, "%+.3f", millis);
    }

    static String bytes(double v) {
        if (!Double.isFinite(v) || v <= 0) {
            return "-";
        }
        return v >= 10_240 ? String.format(Locale.ROOT, "%.1f KB", v / 1024) : String.format(Locale.ROOT, "%.0f B", v);
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.removeIf(d -> d == null || d.isNaN());
        if (v.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static String begin(String section) {
        return "<!-- bench:" + section + ":begin -->";
    }

    static String end(String section) {
        return "<!-- bench:" + section + ":end -->";
    }

    /**
     * Replaces the marked section in the file (between its begin and end markers), or adds it before the
     * marker {@code <!-- bench:sections -->} (or at the end) when the file does not have it yet.
     */
    static void replaceSection(Path file, String section, String body) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
        String block = begin(section) + "\n" + body.strip() + "\n" + end(section);
        int b = text.indexOf(begin(section));
        int e = text.indexOf(end(section));
        if (b >= 0 && e > b) {
            text = text.substring(0, b)
                    + block
                    + text.substring(e + end(section).length());
        } else {
            String anchor = "<!-- bench:sections -->";
            int a = text.indexOf(anchor);
            if (a >= 0) {
                text = text.substring(0, a) + block + "\n\n" + text.substring(a);
            } else {
                text = text.stripTrailing() + "\n\n" + block + "\n";
            }
        }
        Files.writeString(file, text);
    }
}
