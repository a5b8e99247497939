package org.mtcompress.eval;

import java.util.List;

/**
 * A BLEU tokenizer as sacreBLEU names them ({@code --tokenize}). The result is a string whose tokens are
 * separated by single spaces (Python's {@code ' '.join(line.split())} of sacreBLEU's output), so the scorer can
 * split it the same way sacreBLEU does.
 */
public interface Tokenizer {
    /** The names {@link #of} accepts. */
    List<String> NAMES = List.of("13a", "intl", "none");

    /** The name written into the signature ({@code tok:13a}). */
    String signature();

    /** Tokenizes one segment. */
    String tokenize(String line);

    /** The tokenizer called {@code name}; an unknown name is an {@link IllegalArgumentException} listing the known. */
    static Tokenizer of(String name) {
        return switch (name) {
            case "13a" -> new Tokenizer13a();
            case "intl" -> new TokenizerIntl();
            case "none" -> new TokenizerNone();
            default -> throw new IllegalArgumentException(
                    "unknown tokenizer '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }
}
