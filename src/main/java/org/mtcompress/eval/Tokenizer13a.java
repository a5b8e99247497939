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
 * and finally collapses whitespace. Each pass here is a linear scan over the line's chars ({@link ScanBuffer}) that
 * makes the same choices as the regular expression (the patterns have fixed width, so the leftmost non-overlapping
 * matches are found by one scan); {@link RegexTokenizers#tokenize13a} is the plain regex version it is tested
 * against.
 */
public final class Tokenizer13a implements Tokenizer {
    private final ScanBuffer buf = new ScanBuffer();

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

    private static boolean isNotDigit(int c) {
        return !isDigit(c);
    }

    private static boolean isPeriodComma(int c) {
        return c == '.' || c == ',';
    }

    /** Not thread-safe: the instance reuses its buffers. */
    @Override
    public String tokenize(String line) {
        String s = preprocess(line);
        buf.clear(s.length() + 2);
        buf.add(' ');
        for (int i = 0; i < s.length(); i++) {
            buf.add(s.charAt(i));
        }
        buf.add(' ');
        buf.spaceAround(Tokenizer13a::isPass1);
        buf.spaceBetweenAndAfter(Tokenizer13a::isNotDigit, Tokenizer13a::isPeriodComma);
        buf.spaceBeforeAndBetween(Tokenizer13a::isPeriodComma, Tokenizer13a::isNotDigit);
        buf.spaceBetweenAndAfter(Tokenizer13a::isDigit, c -> c == '-');
        return buf.collapse();
    }
}
