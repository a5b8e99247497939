package org.mtcompress.data;

import org.mtcompress.config.Doc;

/**
 * One parallel corpus inside a split (e.g. Europarl in the WMT14 training set): its source and target files,
 * line-aligned.
 */
@Doc("A parallel corpus: source and target files with the same number of segments")
public record CorpusPart(
        @Doc("Name shown in reports, e.g. europarl-v7") String name,
        @Doc("Source-language side") DataFile source,
        @Doc("Target-language side") DataFile target) {

    public CorpusPart {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: missing for a corpus part");
        }
        if (source == null || target == null) {
            throw new IllegalArgumentException("corpus part " + name + ": source and target are required");
        }
    }
}
