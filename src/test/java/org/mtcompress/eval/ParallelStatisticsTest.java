package org.mtcompress.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.util.MtcException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statistics on several threads equal the one-thread statistics segment by segment (BLEU with one and with two
 * references, chrF++), on a real WMT test set; and the fast UTF-8 reading of {@link LineFiles} keeps a genuine
 * U+FFFD while still refusing invalid bytes, and reading several files at once reports the first bad one.
 */
class ParallelStatisticsTest {
    @TempDir
    Path dir;

    @Test
    void severalThreadsGiveTheOneThreadStatistics() {
        List<String> refs = EvalFixtures.read("newstest2014.de");
        List<String> hyps = new ArrayList<>();
        List<String> refs2 = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            hyps.add(EvalFixtures.perturb(refs.get(i), i, 7));
            refs2.add(EvalFixtures.perturb(refs.get(i), i, 5));
        }
        List<Supplier<Metric>> metrics = List.of(Bleu::new, () -> Chrf.chrfPlusPlus(false));
        for (Supplier<Metric> metric : metrics) {
            for (List<List<String>> r : List.of(List.of(refs), List.of(refs, refs2))) {
                int[][] one = metric.get().segmentStatistics(hyps, r);
                for (int threads : new int[] {2, 3, 7}) {
                    int[][] many = ParallelStatistics.compute(metric, hyps, r, threads);
                    assertEquals(one.length, many.length);
                    for (int i = 0; i < one.length; i++) {
                        assertArrayEquals(one[i], many[i], "segment " + i + ", " + threads + " threads");
                    }
                }
            }
        }
        assertEquals(1, ParallelStatistics.threadsFor(10));
        assertTrue(ParallelStatistics.threadsFor(1_000_000) >= 1);
    }

    @Test
    void aGenuineReplacementCharacterReadsAndInvalidBytesDoNot() throws IOException {
        Path ok = Files.writeString(dir.resolve("ok.txt"), "a \uFFFD b\nzwei\n", StandardCharsets.UTF_8);
        assertEquals(List.of("a \uFFFD b", "zwei"), LineFiles.read(ok));
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', '\n', 'x', (byte) 0xC3, '\n'});
        MtcException e = assertThrows(MtcException.class, () -> LineFiles.read(bad));
        assertTrue(e.getMessage().contains("not valid UTF-8 (line 2"), e.getMessage());

        assertEquals(List.of(List.of("a \uFFFD b", "zwei"), List.of("a \uFFFD b", "zwei")),
                LineFiles.readAll(List.of(ok, ok)));
        Path missing = dir.resolve("missing.txt");
        e = assertThrows(MtcException.class, () -> LineFiles.readAll(List.of(ok, missing, bad)));
        assertEquals(missing + ": no such file", e.getMessage(), "the first bad file in order is reported");
        e = assertThrows(MtcException.class, () -> LineFiles.readAll(List.of(bad, ok, missing)));
        assertTrue(e.getMessage().startsWith(bad + ": not valid UTF-8"), e.getMessage());
    }
}
