package org.mtcompress.eval;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The linear scans {@link TokenizerIntl} is made of: two reused int buffers of code points, the current text in
 * one, each substitution writing the other. A substitution makes the same choices as Python's {@code re.sub} with
 * a fixed-width pattern (leftmost matches, left to right, never overlapping), so one pass per pattern suffices.
 * Not thread-safe.
 */
final class ScanBuffer {
    private int[] cur = new int[256];
    private int[] next = new int[256];
    private int n;

    /** Empties the buffer and makes room for {@code capacity} units. */
    void clear(int capacity) {
        n = 0;
        cur = grow(cur, capacity);
    }

    /** Appends one unit (room for it must have been made by {@link #clear}). */
    void add(int unit) {
        cur[n++] = unit;
    }

    /** {@code ([cls])} becomes {@code " \1 "}. */
    void spaceAround(IntPredicate cls) {
        next = grow(next, 3 * n + 8);
        int m = 0;
        for (int i = 0; i < n; i++) {
            int c = cur[i];
            if (cls.test(c)) {
                next[m++] = ' ';
                next[m++] = c;
                next[m++] = ' ';
            } else {
                next[m++] = c;
            }
        }
        swap(m);
    }

    /** {@code ([first])([second])} becomes {@code "\1 \2 "}. */
    void spaceBetweenAndAfter(IntPredicate first, IntPredicate second) {
        pairs(first, second, false);
    }

    /** {@code ([first])([second])} becomes {@code " \1 \2"}. */
    void spaceBeforeAndBetween(IntPredicate first, IntPredicate second) {
        pairs(first, second, true);
    }

    private void pairs(IntPredicate first, IntPredicate second, boolean spaceBefore) {
        next = grow(next, 2 * n + 8);
        int m = 0;
        int i = 0;
        while (i < n) {
            if (i + 1 < n && first.test(cur[i]) && second.test(cur[i + 1])) {
                if (spaceBefore) {
                    next[m++] = ' ';
                }
                next[m++] = cur[i];
                next[m++] = ' ';
                next[m++] = cur[i + 1];
                if (!spaceBefore) {
                    next[m++] = ' ';
                }
                i += 2;
            } else {
                next[m++] = cur[i++];
            }
        }
        swap(m);
    }

    /** The text with whitespace collapsed: Python's {@code ' '.join(s.split())}. */
    String collapse() {
        StringBuilder sb = new StringBuilder(n + 8);
        int i = 0;
        while (i < n) {
            while (i < n && PyText.isSpace(cur[i])) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            while (i < n && !PyText.isSpace(cur[i])) {
                sb.appendCodePoint(cur[i++]);
            }
        }
        return sb.toString();
    }

    private void swap(int length) {
        int[] t = cur;
        cur = next;
        next = t;
        n = length;
    }

    private static int[] grow(int[] buf, int size) {
        return buf.length >= size ? buf : Arrays.copyOf(buf, Math.max(size, buf.length * 2));
    }
}
