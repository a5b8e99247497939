package org.mtcompress.eval;

import java.util.Arrays;

/**
 * sacreBLEU's default {@code 13a} tokenizer (mteval-v13a.pl): removes {@code <skipped>}, joins {@code -\n},
 * unescapes {@code &quot; &amp; &lt; &gt;}, then applies four substitutions to {@code " " + line + " "}, each over
 * the whole string, left to right, without overlapping matches (Python's {@code re.sub}):
 * <ol>
 * <li>{@code ([\{-\~\[-\` -\&\(-\+\:-\@\/])} becomes {@code " \1 "} (ASCII punctuation and symbols except
 * {@code ' , - .});</li>
 * <li>{@code ([^0-9])([\.,])} becomes {@code "\1 \2 "};</li>
 * <li>{@code ([\.,])([^0-9])} becomes {@code " \1 \2"};</li>
 * <li>{@code ([0-9])(-)} becomes {@code "\1 \2 "};</li>
 * </ol>
 * and finally collapses whitespace. Each pass here is a linear scan over the line's chars that makes the same
 * choices as the regular expression (the patterns have fixed width, so the leftmost non-overlapping matches are
 * found by one scan); {@link RegexTokenizers#tokenize13a} is the plain regex version it is tested against. The
 * character classes are static methods rather than {@link ScanBuffer}'s predicates: a short {@code mtc eval}
 * process runs on the client compiler, which does not inline a predicate called through an interface, and this
 * tokenizer is most of the time BLEU takes.
 */
public final class Tokenizer13a implements Tokenizer {
    private static final int NOT_DIGIT_THEN_PERIOD_COMMA = 0;
    private static final int PERIOD_COMMA_THEN_NOT_DIGIT = 1;
    private static final int DIGIT_THEN_HYPHEN = 2;

    private char[] cur = new char[256];
    private char[] next = new char[256];
    private int n;

    @Override
    public String signature() {
        return "13a";
    }

    /** Replacements done before the regular expressions (shared with the reference version). */
    static String preprocess(String line) {
        line = line.replace("<skipped>", "");
        line = line.replace("-\n", "");
        line = line.replace("\n", " ");
        if (line.indexOf('&') >= 0) {
            line = line.replace("&quot;", "\"");
            line = line.replace("&amp;", "&");
            line = line.replace("&lt;", "<");
            line = line.replace("&gt;", ">");
        }
        return line;
    }

    /** Pass 1's character class: 0x20-0x26, 0x28-0x2B, 0x2F, 0x3A-0x40, 0x5B-0x60, 0x7B-0x7E. */
    static boolean isPass1(int c) {
        return (c >= 0x20 && c <= 0x26) || (c >= 0x28 && c <= 0x2B) || c == 0x2F
                || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isPeriodComma(int c) {
        return c == '.' || c == ',';
    }

    /** Whether {@code a b} is a match of pass 2, 3 or 4's two-character pattern. */
    private static boolean pair(int rule, char a, char b) {
        return switch (rule) {
            case NOT_DIGIT_THEN_PERIOD_COMMA -> !isDigit(a) && isPeriodComma(b);
            case PERIOD_COMMA_THEN_NOT_DIGIT -> isPeriodComma(a) && !isDigit(b);
            default -> isDigit(a) && b == '-';
        };
    }

    /** Not thread-safe: the instance reuses its buffers. */
    @Override
    public String tokenize(String line) {
        String s = preprocess(line);
        int len = s.length();
        cur = grow(cur, len + 2);
        cur[0] = ' ';
        s.getChars(0, len, cur, 1);
        cur[len + 1] = ' ';
        n = len + 2;
        spaceAroundPass1();
        pairs(NOT_DIGIT_THEN_PERIOD_COMMA, false);
        pairs(PERIOD_COMMA_THEN_NOT_DIGIT, true);
        pairs(DIGIT_THEN_HYPHEN, false);
        return collapse();
    }

    /** {@code ([pass 1 class])} becomes {@code " \1 "}. */
    private void spaceAroundPass1() {
        next = grow(next, 3 * n + 8);
        int m = 0;
        for (int i = 0; i < n; i++) {
            char c = cur[i];
            if (isPass1(c)) {
                next[m++] = ' ';
                next[m++] = c;
                next[m++] = ' ';
            } else {
                next[m++] = c;
            }
        }
        swap(m);
    }

    /** {@code (a)(b)} becomes {@code "\1 \2 "}, or {@code " \1 \2"} when {@code spaceBefore}. */
    private void pairs(int rule, boolean spaceBefore) {
        next = grow(next, 2 * n + 8);
        int m = 0;
        int i = 0;
        while (i < n) {
            if (i + 1 < n && pair(rule, cur[i], cur[i + 1])) {
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
    private String collapse() {
        int m = 0;
        int i = 0;
        while (i < n) {
            while (i < n && PyText.isSpace(cur[i])) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (m > 0) {
                next[m++] = ' ';
            }
            while (i < n && !PyText.isSpace(cur[i])) {
                next[m++] = cur[i++];
            }
        }
        return new String(next, 0, m);
    }

    private void swap(int length) {
        char[] t = cur;
        cur = next;
        next = grow(t, length);
        n = length;
    }

    private static char[] grow(char[] buf, int size) {
        return buf.length >= size ? buf : Arrays.copyOf(buf, Math.max(size, buf.length * 2));
    }
}
