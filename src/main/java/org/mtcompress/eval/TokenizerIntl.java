package org.mtcompress.eval;

/**
 * sacreBLEU's {@code intl} tokenizer (mteval-v14 "international"): three substitutions over code points, each
 * left to right without overlapping matches, then whitespace collapsed:
 * {@code (\P{N})(\p{P})} becomes {@code "\1 \2 "}, {@code (\p{P})(\P{N})} becomes {@code " \1 \2"},
 * {@code (\p{S})} becomes {@code " \1 "} ({@code N}, {@code P}, {@code S}: Unicode number, punctuation and symbol
 * categories). Unlike 13a the line is not padded with spaces, so a final "2014." keeps its period.
 * Categories come from Java's Unicode tables (Unicode 13 in Java 17); sacreBLEU's {@code regex} module may know
 * newer characters. {@link RegexTokenizers#tokenizeIntl} is the plain regex version this is tested against.
 */
public final class TokenizerIntl implements Tokenizer {
    private int[] a = new int[256];
    private int[] b = new int[256];

    @Override
    public String signature() {
        return "intl";
    }

    static boolean isN(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    static boolean isP(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    static boolean isS(int cp) {
        switch (Character.getType(cp)) {
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                    Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
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
        int n = line.codePointCount(0, line.length());
        ensure(2 * n + 8);
        int k = 0;
        for (int i = 0; i < line.length(); ) {
            int cp = line.codePointAt(i);
            a[k++] = cp;
            i += Character.charCount(cp);
        }

        // pass 1: (\P{N})(\p{P}) -> "\1 \2 "  (a -> b)
        int m = 0;
        int i = 0;
        while (i < n) {
            if (i + 1 < n && !isN(a[i]) && isP(a[i + 1])) {
                b[m++] = a[i];
                b[m++] = ' ';
                b[m++] = a[i + 1];
                b[m++] = ' ';
                i += 2;
            } else {
                b[m++] = a[i++];
            }
        }
        n = m;
        ensure(2 * n + 8);

        // pass 2: (\p{P})(\P{N}) -> " \1 \2"  (b -> a)
        m = 0;
        i = 0;
        while (i < n) {
            if (i + 1 < n && isP(b[i]) && !isN(b[i + 1])) {
                a[m++] = ' ';
                a[m++] = b[i];
                a[m++] = ' ';
                a[m++] = b[i + 1];
                i += 2;
            } else {
                a[m++] = b[i++];
            }
        }
        n = m;
        ensure(3 * n + 8);

        // pass 3: (\p{S}) -> " \1 "  (a -> b)
        m = 0;
        for (i = 0; i < n; i++) {
            int cp = a[i];
            if (isS(cp)) {
                b[m++] = ' ';
                b[m++] = cp;
                b[m++] = ' ';
            } else {
                b[m++] = cp;
            }
        }

        StringBuilder sb = new StringBuilder(m + 8);
        i = 0;
        while (i < m) {
            while (i < m && PyText.isSpace(b[i])) {
                i++;
            }
            if (i >= m) {
                break;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            while (i < m && !PyText.isSpace(b[i])) {
                sb.appendCodePoint(b[i++]);
            }
        }
        return sb.toString();
    }
}
