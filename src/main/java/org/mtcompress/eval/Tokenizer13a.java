package org.mtcompress.eval;

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
 * and finally collapses whitespace. Each pass here is a linear scan over a char buffer that makes the same
 * choices as the regular expression (the patterns have fixed width, so the leftmost non-overlapping matches are
 * found by one scan); {@link RegexTokenizers#tokenize13a} is the plain regex version it is tested against.
 */
public final class Tokenizer13a implements Tokenizer {
    private char[] a = new char[256];
    private char[] b = new char[256];

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
    static boolean isPass1(char c) {
        return (c >= 0x20 && c <= 0x26) || (c >= 0x28 && c <= 0x2B) || c == 0x2F
                || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isPeriodComma(char c) {
        return c == '.' || c == ',';
    }

    /** Grows both buffers to at least n, keeping their contents (one of them holds the current pass). */
    private void ensure(int n) {
        if (a.length < n) {
            a = java.util.Arrays.copyOf(a, Math.max(n, a.length * 2));
        }
        if (b.length < n) {
            b = java.util.Arrays.copyOf(b, Math.max(n, b.length * 2));
        }
    }

    /** Not thread-safe: the instance reuses its buffers. */
    @Override
    public String tokenize(String line) {
        String s = preprocess(line);
        int n = s.length() + 2;
        // every pass at most triples the length (pass 1: one char -> three)
        ensure(3 * n + 8);
        a[0] = ' ';
        s.getChars(0, s.length(), a, 1);
        a[n - 1] = ' ';

        // pass 1: a -> b
        int m = 0;
        for (int i = 0; i < n; i++) {
            char c = a[i];
            if (isPass1(c)) {
                b[m++] = ' ';
                b[m++] = c;
                b[m++] = ' ';
            } else {
                b[m++] = c;
            }
        }
        n = m;
        ensure(2 * n + 8);

        // pass 2: ([^0-9])([\.,]) -> "\1 \2 "  (b -> a)
        m = 0;
        int i = 0;
        while (i < n) {
            if (i + 1 < n && !isDigit(b[i]) && isPeriodComma(b[i + 1])) {
                a[m++] = b[i];
                a[m++] = ' ';
                a[m++] = b[i + 1];
                a[m++] = ' ';
                i += 2;
            } else {
                a[m++] = b[i++];
            }
        }
        n = m;
        ensure(2 * n + 8);

        // pass 3: ([\.,])([^0-9]) -> " \1 \2"  (a -> b)
        m = 0;
        i = 0;
        while (i < n) {
            if (i + 1 < n && isPeriodComma(a[i]) && !isDigit(a[i + 1])) {
                b[m++] = ' ';
                b[m++] = a[i];
                b[m++] = ' ';
                b[m++] = a[i + 1];
                i += 2;
            } else {
                b[m++] = a[i++];
            }
        }
        n = m;
        ensure(2 * n + 8);

        // pass 4: ([0-9])(-) -> "\1 \2 "  (b -> a)
        m = 0;
        i = 0;
        while (i < n) {
            if (i + 1 < n && isDigit(b[i]) && b[i + 1] == '-') {
                a[m++] = b[i];
                a[m++] = ' ';
                a[m++] = '-';
                a[m++] = ' ';
                i += 2;
            } else {
                a[m++] = b[i++];
            }
        }
        return collapse(a, m);
    }

    /** {@code ' '.join(s.split())} over a char buffer. */
    static String collapse(char[] buf, int n) {
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            while (i < n && PyText.isSpace(buf[i])) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            while (i < n && !PyText.isSpace(buf[i])) {
                sb.append(buf[i++]);
            }
        }
        return sb.toString();
    }
}
