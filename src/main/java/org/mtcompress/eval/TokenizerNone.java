package org.mtcompress.eval;

/** sacreBLEU's {@code none} tokenizer: the line as it is (the scorer still splits it on whitespace). */
public final class TokenizerNone implements Tokenizer {
    @Override
    public String signature() {
        return "none";
    }

    @Override
    public String tokenize(String line) {
        return line;
    }
}
