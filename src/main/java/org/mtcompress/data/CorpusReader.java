package org.mtcompress.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mtcompress.util.MtcException;

/** Reads the splits of a data set from the folder its files were fetched into. */
public final class CorpusReader {
    private CorpusReader() {
    }

    /** All parts of {@code split} concatenated; a part whose two sides differ in length is an error naming both. */
    public static ParallelText read(SplitSpec split, Path dataDir) {
        List<String> src = new ArrayList<>();
        List<String> tgt = new ArrayList<>();
        for (CorpusPart part : split.parts()) {
            ParallelText p = readPart(part, dataDir);
            src.addAll(p.source());
            tgt.addAll(p.target());
        }
        return new ParallelText(List.copyOf(src), List.copyOf(tgt));
    }

    public static ParallelText readPart(CorpusPart part, Path dataDir) {
        Path sf = dataDir.resolve(part.source().file());
        Path tf = dataDir.resolve(part.target().file());
        List<String> s = TextReader.read(sf, part.source());
        List<String> t = TextReader.read(tf, part.target());
        if (s.size() != t.size()) {
            throw new MtcException("corpus " + part.name() + ": line counts differ: " + label(sf, part.source()) + " has "
                    + s.size() + " segments, " + label(tf, part.target()) + " has " + t.size());
        }
        return new ParallelText(s, t);
    }

    private static String label(Path file, DataFile spec) {
        return spec.member() == null ? file.toString() : file + "!" + spec.member();
    }
}
