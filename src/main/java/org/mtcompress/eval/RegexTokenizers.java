package org.mtcompress.eval;

import java.util.regex.Pattern;

/**
 * Plain regular-expression versions of the 13a and intl tokenizers, written as sacreBLEU documents them. They
 * are the reference the fast scanners ({@link Tokenizer13a}, {@link TokenizerIntl}) are tested against; they are
 * slower (about 4 regex passes per line).
 */
public final class RegexTokenizers {
    private static final Pattern P13A_1 = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    private static final Pattern P13A_2 = Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern P13A_3 = Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern P13A_4 = Pattern.compile("([0-9])(-)");

    private static final Pattern PINTL_1 = Pattern.compile("(\\P{N})(\\p{P})");
    private static final Pattern PINTL_2 = Pattern.compile("(\\p{P})(\\P{N})");
    private static final Pattern PINTL_3 = Pattern.compile("(\\p{S})");

    private RegexTokenizers() {
    }

    /** 13a with regular expressions. */
    public static String tokenize13a(String line) {
        String s = " " + Tokenizer13a.preprocess(line) + " ";
        s = P13A_1.matcher(s).replaceAll(" $1 ");
        s = P13A_2.matcher(s).replaceAll("$1 $2 ");
        s = P13A_3.matcher(s).replaceAll(" $1 $2");
        s = P13A_4.matcher(s).replaceAll("$1 $2 ");
        return PyText.normalizeSpaces(s);
    }

    /** intl with regular expressions. */
    public static String tokenizeIntl(String line) {
        String s = PINTL_1.matcher(line).replaceAll("$1 $2 ");
        s = PINTL_2.matcher(s).replaceAll(" $1 $2");
        s = PINTL_3.matcher(s).replaceAll(" $1 ");
        return PyText.normalizeSpaces(s);
    }
}
