package org.mtcompress.data;

import java.util.List;

/**
 * Line-aligned source and target segments of one split (raw text: the references BLEU is computed against).
 *
 * @param source source segments
 * @param target target segments, {@code target.get(i)} translates {@code source.get(i)}
 */
public record ParallelText(List<String> source, List<String> target) {
    public ParallelText {
        if (source.size() != target.size()) {
            throw new IllegalArgumentException("source has " + source.size() + " segments, target " + target.size());
        }
    }

    public int size() {
        return source.size();
    }
}
