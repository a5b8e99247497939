package org.mtcompress.data;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Descriptive statistics of one side of one split: segment count, words per segment (whitespace-separated, as
 * {@code str.split()}), distinct words, and length percentiles in words.
 *
 * @param split    split name
 * @param side     language code
 * @param lines    number of segments
 * @param words    total words
 * @param vocab    distinct words (case-sensitive)
 * @param mean     mean words per segment
 * @param p50      median words per segment
 * @param p90      90th percentile
 * @param p99      99th percentile
 * @param max      longest segment in words
 */
public record DataStats(String split, String side, int lines, long words, int vocab, double mean, int p50, int p90,
                        int p99, int max) {

    public static DataStats of(String split, String side, List<String> segments) {
        int[] len = new int[segments.size()];
        Set<String> types = new HashSet<>();
        long total = 0;
        for (int i = 0; i < len.length; i++) {
            String s = segments.get(i);
            int n = 0;
            int start = -1;
            for (int j = 0; j <= s.length(); j++) {
                boolean sp = j == s.length() || TextReader.isPythonSpace(s.charAt(j));
                if (sp) {
                    if (start >= 0) {
                        types.add(s.substring(start, j));
                        n++;
                        start = -1;
                    }
                } else if (start < 0) {
                    start = j;
                }
            }
            len[i] = n;
            total += n;
        }
        Arrays.sort(len);
        return new DataStats(split, side, len.length, total, types.size(),
                len.length == 0 ? 0 : (double) total / len.length,
                percentile(len, 50), percentile(len, 90), percentile(len, 99), len.length == 0 ? 0 : len[len.length - 1]);
    }

    /** Nearest-rank percentile of sorted values (0 when empty). */
    static int percentile(int[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** A fixed-width text table of {@code rows}. */
    public static String table(List<DataStats> rows) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-20s %-4s %10s %12s %9s %9s %5s %5s %5s %6s%n";
        sb.append(String.format(fmt, "split", "side", "segments", "words", "vocab", "words/seg", "p50", "p90", "p99", "max"));
        for (DataStats r : rows) {
            sb.append(String.format(fmt, r.split, r.side, String.format("%,d", r.lines), String.format("%,d", r.words),
                    String.format("%,d", r.vocab), String.format("%.2f", r.mean), r.p50, r.p90, r.p99, r.max));
        }
        return sb.toString();
    }
}
