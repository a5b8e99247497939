package org.mtcompress.data;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/**
 * A parallel data set as data ({@code configs/data/NAME.yaml}): its splits, the files each split is read from,
 * where to download them with their pinned sizes and checksums, mirror folders searched first, training-set
 * cleaning and the default subword vocabulary size.
 */
@Doc("A parallel data set: splits, files with URLs and checksums, mirrors, cleaning")
public record DatasetSpec(
        @Doc("Name of the data set (cache sub-folder, command-line name)") String name,
        @Doc("Source language code") @Default("en") String sourceLang,
        @Doc("Target language code") @Default("de") String targetLang,
        @Doc("Folders searched for the files before downloading (relative to the working folder)") @Default("[]") List<String> mirrors,
        @Doc("Default size of the joint subword vocabulary") @Default("8000") @Range(min = 300, max = 1000000) int vocabSize,
        @Doc("Training-set cleaning") Cleaning cleaning,
        @Doc("The splits: exactly one train, one valid, any number of test") @Range(min = 2) List<SplitSpec> splits) {

    public DatasetSpec {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name: must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
        if (cleaning == null) {
            cleaning = Cleaning.defaults();
        }
        if (splits == null) {
            throw new IllegalArgumentException("splits: required");
        }
        splits = List.copyOf(splits);
        Set<String> names = new HashSet<>();
        for (SplitSpec s : splits) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("splits: duplicate split name '" + s.name() + "'");
            }
        }
        for (SplitRole role : List.of(SplitRole.TRAIN, SplitRole.VALID)) {
            long n = splits.stream().filter(s -> s.role() == role).count();
            if (n != 1) {
                throw new IllegalArgumentException("splits: need exactly one split with role "
                        + role.name().toLowerCase() + ", found " + n);
            }
        }
    }

    public SplitSpec split(String splitName) {
        return splits.stream().filter(s -> s.name().equals(splitName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("data set " + name + " has no split '" + splitName
                        + "' (known: " + splits.stream().map(SplitSpec::name).toList() + ")"));
    }

    public SplitSpec train() {
        return first(s -> s.role() == SplitRole.TRAIN);
    }

    public SplitSpec valid() {
        return first(s -> s.role() == SplitRole.VALID);
    }

    public List<SplitSpec> tests() {
        return splits.stream().filter(s -> s.role() == SplitRole.TEST).toList();
    }

    /** Every distinct downloadable file (by file name), in the order they first appear. */
    public List<DataFile> files() {
        Set<String> seen = new HashSet<>();
        return splits.stream().flatMap(s -> s.parts().stream())
                .flatMap(p -> java.util.stream.Stream.of(p.source(), p.target()))
                .filter(f -> seen.add(f.file())).toList();
    }

    private SplitSpec first(Predicate<SplitSpec> p) {
        return splits.stream().filter(p).findFirst().orElseThrow();
    }
}
