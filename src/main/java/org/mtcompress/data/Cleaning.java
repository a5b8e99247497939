package org.mtcompress.data;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/**
 * Filters applied to training pairs only (validation and test sets are never filtered): drop pairs with an
 * empty side, pairs with a side longer than {@code maxWords} whitespace-separated words, and pairs whose longer
 * side has more than {@code maxRatio} times the words of the shorter one (as Moses' clean-corpus-n does).
 */
@Doc("Training-set cleaning (validation and test sets are never filtered)")
public record Cleaning(
        @Doc("Drop pairs where either side is empty or only whitespace") @Default("true") boolean dropEmpty,
        @Doc("Drop pairs where either side has more words than this (0: no limit)") @Default("250") @Range(min = 0) int maxWords,
        @Doc("Drop pairs whose word-count ratio (longer/shorter) exceeds this (0: no limit)") @Default("9.0") @Range(min = 0) double maxRatio) {

    /** No filtering at all. */
    public static final Cleaning NONE = new Cleaning(false, 0, 0);

    public static Cleaning defaults() {
        return new Cleaning(true, 250, 9.0);
    }
}
