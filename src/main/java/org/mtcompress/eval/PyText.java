package org.mtcompress.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few Python string operations sacreBLEU relies on, reproduced exactly: {@code str.split()} (Python's
 * whitespace set, which differs from {@link Character#isWhitespace}: it includes U+0085, U+00A0, U+202F and
 * excludes U+200B), {@code str.rstrip()} and {@code str.lower()}.
 */
public final class PyText {
    private PyText() {
    }

    /** Python's whitespace among the ASCII code points. */
    private static final boolean[] ASCII_SPACE = new boolean[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII_SPACE[c] = c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
        }
    }

    /**
     * True for the code points Python's {@code str.isspace()} accepts (Unicode 14, CPython 3.11). Short enough for
     * the client compiler to inline (most text is ASCII).
     */
    public static boolean isSpace(int cp) {
        return cp < 128 ? cp >= 0 && ASCII_SPACE[cp] : cp >= 0x85 && isSpaceAbove127(cp);
    }

    private static boolean isSpaceAbove127(int cp) {
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Python's {@code s.split()}: the runs of non-whitespace, in order; none for a blank string. */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /** Python's {@code ' '.join(s.split())}: whitespace runs become one space, none at the ends. */
    public static String normalizeSpaces(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            while (i < n && !isSpace(s.charAt(i))) {
                sb.append(s.charAt(i++));
            }
        }
        return sb.toString();
    }

    /** Python's {@code s.rstrip()}. */
    public static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    /**
     * Python's {@code s.lower()}. Java's root-locale lower-casing follows the same Unicode rules (full case
     * mapping, final sigma); the two differ only for characters newer than Java's Unicode tables.
     */
    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * Python's {@code f"{x:.{decimals}f}"}: the exact binary value rounded half to even (Java's
     * {@code String.format} rounds half up, which differs on ties such as 0.125).
     */
    public static String formatFixed(double x, int decimals) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
        }
        String s = new java.math.BigDecimal(x).setScale(decimals, java.math.RoundingMode.HALF_EVEN).toPlainString();
        if ((x < 0 || (x == 0 && 1 / x < 0)) && !s.startsWith("-")) {
            s = "-" + s;
        }
        return s;
    }
}
