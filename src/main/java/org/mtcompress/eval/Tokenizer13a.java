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
 * character classes are a table of ASCII chars read inline rather than {@link ScanBuffer}'s predicates: a short
 * {@code mtc eval} process runs on the client compiler, which inlines neither a predicate called through an
 * interface nor a method as long as a class test, and this tokenizer is most of the time BLEU takes.
 */
public final class Tokenizer13a implements Tokenizer {
    private static final byte PASS1 = 1;
    private static final byte DIGIT = 2;
    private static final byte PERIOD_COMMA = 4;
    private static final byte HYPHEN = 8;
    /** The classes above of each ASCII char; no other char is in any of them. */
    private static final byte[] CLASSES = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            CLASSES[c] = (byte) ((isPass1(c) ? PASS1 : 0) | (c >= '0' && c <= '9' ? DIGIT : 0)
                    | (c == '.' || c == ',' ? PERIOD_COMMA : 0) | (c == '-' ? HYPHEN : 0));
        }
    }

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
        pairs(DIGIT, true, PERIOD_COMMA, false, false);   // ([^0-9])([\.,]) -> "\1 \2 "
        pairs(PERIOD_COMMA, false, DIGIT, true, true);    // ([\.,])([^0-9]) -> " \1 \2"
        pairs(DIGIT, false, HYPHEN, false, false);        // ([0-9])(-)       -> "\1 \2 "
        return collapse();
    }

    /** {@code ([pass 1 class])} becomes {@code " \1 "}. */
    private void spaceAroundPass1() {
        next = grow(next, 3 * n + 8);
        int m = 0;
        for (int i = 0; i < n; i++) {
            char c = cur[i];
            if (c < 128 && (CLASSES[c] & PASS1) != 0) {
                next[m++] = ' ';
                next[m++] = c;
                next[m++] = ' ';
            } else {
                next[m++] = c;
            }
        }
        swap(m);
    }

    /**
     * {@code (a)(b)} becomes {@code "\1 \2 "}, or {@code " \1 \2"} when {@code spaceBefore}: {@code a} is a char
     * in class {@code first} (not in it when {@code notFirst}), {@code b} likewise for {@code second}.
     */
    private void pairs(byte first, boolean notFirst, byte second, boolean notSecond, boolean spaceBefore) {
        next = grow(next, 2 * n + 8);
        int m = 0;
        int i = 0;
        while (i < n) {
            char a = cur[i];
            boolean match = false;
            if (i + 1 < n && ((a < 128 && (CLASSES[a] & first) != 0) != notFirst)) {
                char b = cur[i + 1];
                match = (b < 128 && (CLASSES[b] & second) != 0) != notSecond;
            }
            if (match) {
                if (spaceBefore) {
                    next[m++] = ' ';
                }
                next[m++] = a;
                next[m++] = ' ';
                next[m++] = cur[i + 1];
                if (!spaceBefore) {
                    next[m++] = ' ';
                }
                i += 2;
            } else {
                next[m++] = a;
                i++;
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
