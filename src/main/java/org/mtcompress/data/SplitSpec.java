package org.mtcompress.data;

import java.util.List;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** One split of a data set (train, validation or a test set): the concatenation of its corpus parts in order. */
@Doc("One split of a data set: its role and the corpora it concatenates")
public record SplitSpec(
        @Doc("Split name, e.g. train, valid, test_2016_flickr") String name,
        @Doc("train, valid or test; only train is cleaned") SplitRole role,
        @Doc("Corpora concatenated in this order") @Range(min = 1) List<CorpusPart> parts) {

    public SplitSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: missing for a split");
        }
        if (role == null) {
            throw new IllegalArgumentException("split " + name + ": role is required (train, valid or test)");
        }
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("split " + name + ": parts must list at least one corpus");
        }
        parts = List.copyOf(parts);
    }
}
