package org.mtcompress.eval;

/**
 * sacreBLEU's {@code intl} tokenizer (mteval-v14 "international"): three substitutions over code points, each
 * left to right without overlapping matches, then whitespace collapsed:
 * {@code (\P{N})(\p{P})} becomes {@code "\1 \2 "}, {@code (\p{P})(\P{N})} becomes {@code " \1 \2"},
 * {@code (\p{S})} becomes {@code " \1 "} ({@code N}, {@code P}, {@code S}: Unicode number, punctuation and symbol
 * categories), each one linear scan ({@link ScanBuffer}). Unlike 13a the line is not padded with spaces, so a
 * final "2014." keeps its period.
 * Categories come from Java's Unicode tables (Unicode 13 in Java 17); sacreBLEU's {@code regex} module may know
 * newer characters. {@link RegexTokenizers#tokenizeIntl} is the plain regex version this is tested against.
 */
public final class TokenizerIntl implements Tokenizer {
    private final ScanBuffer buf = new ScanBuffer();

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

    private static boolean isNotN(int cp) {
        return !isN(cp);
    }

    /** Not thread-safe: the instance reuses its buffers. */
    @Override
    public String tokenize(String line) {
        buf.clear(line.codePointCount(0, line.length()));
        line.codePoints().forEach(buf::add);
        buf.spaceBetweenAndAfter(TokenizerIntl::isNotN, TokenizerIntl::isP);
        buf.spaceBeforeAndBetween(TokenizerIntl::isP, TokenizerIntl::isNotN);
        buf.spaceAround(TokenizerIntl::isS);
        return buf.collapse();
    }
}
