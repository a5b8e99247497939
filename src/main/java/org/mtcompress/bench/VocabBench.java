package org.mtcompress.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mtcompress.data.ParallelText;
import org.mtcompress.data.SentencePieceVocabulary;

/**
 * Benchmark of the subword vocabulary: learning a BPE vocabulary with {@code spm_train} on a training text, then
 * encoding (and separately decoding) a stream of sentences on one thread through DJL's binding. Targets for
 * Multi30k: learn 8k in under 30 s, encode at least 20,000 sentences/s on one core.
 */
public final class VocabBench {
    private VocabBench() {
    }

    /**
     * Measured figures.
     *
     * @param trainLines    lines the vocabulary was learned from
     * @param learnSeconds  wall time of {@code spm_train} (subprocess, including writing the input file)
     * @param sentences     sentences encoded
     * @param tokens        subword ids produced
     * @param encodeSeconds wall time of encoding, one thread
     * @param encodeCpuSeconds CPU time of the encoding thread (what one core does when the machine is shared)
     * @param decodeSeconds wall time of decoding the same ids, one thread
     */
    public record Result(int trainLines, int vocabSize, double learnSeconds, long sentences, long tokens,
                         double encodeSeconds, double encodeCpuSeconds, double decodeSeconds) {
        public double sentencesPerSecond() {
            return sentences / encodeSeconds;
        }

        public String table() {
            String fmt = "%-32s %14s%n";
            return String.format(fmt, "measure", "value")
                    + String.format(fmt, "training lines (src+tgt)", String.format("%,d", trainLines))
                    + String.format(fmt, "vocabulary size", String.format("%,d", vocabSize))
                    + String.format(fmt, "learn (spm_train) s", String.format("%.2f", learnSeconds))
                    + String.format(fmt, "sentences encoded", String.format("%,d", sentences))
                    + String.format(fmt, "subword ids produced", String.format("%,d", tokens))
                    + String.format(fmt, "encode s (1 thread)", String.format("%.2f", encodeSeconds))
                    + String.format(fmt, "encode sentences/s (wall)", String.format("%,.0f", sentences / encodeSeconds))
                    + String.format(fmt, "encode CPU s (thread)", String.format("%.2f", encodeCpuSeconds))
                    + String.format(fmt, "encode sentences/s (CPU)", String.format("%,.0f", sentences / encodeCpuSeconds))
                    + String.format(fmt, "decode s (1 thread)", String.format("%.2f", decodeSeconds))
                    + String.format(fmt, "decode sentences/s", String.format("%,.0f", sentences / decodeSeconds));
        }
    }

    /** Learns a vocabulary of {@code size} on {@code train} in a scratch folder, then encodes {@code sentences} lines. */
    public static Result run(ParallelText train, int size, long sentences, Path scratch) throws Exception {
        List<String> lines = new ArrayList<>(train.size() * 2);
        lines.addAll(train.source());
        lines.addAll(train.target());
        Path dir = Files.createTempDirectory(scratch, "vocab-bench-");
        long t0 = System.nanoTime();
        try (SentencePieceVocabulary v = SentencePieceVocabulary.train(lines, size, dir,
                SentencePieceVocabulary.DEFAULT_MAX_TRAINING_SENTENCES, 42)) {
            double learn = (System.nanoTime() - t0) / 1e9;
            // warm-up: JIT and the native library
            for (int i = 0; i < Math.min(20_000, lines.size()); i++) {
                v.encode(lines.get(i));
            }
            int keep = (int) Math.min(sentences, 200_000);
            int[][] ids = new int[keep][];
            long tokens = 0;
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long c1 = mx.getCurrentThreadCpuTime();
            long t1 = System.nanoTime();
            for (long i = 0; i < sentences; i++) {
                int[] e = v.encode(lines.get((int) (i % lines.size())));
                tokens += e.length;
                if (i < keep) {
                    ids[(int) i] = e;
                }
            }
            double enc = (System.nanoTime() - t1) / 1e9;
            double encCpu = (mx.getCurrentThreadCpuTime() - c1) / 1e9;
            long chars = 0;
            long t2 = System.nanoTime();
            for (long i = 0; i < sentences; i++) {
                chars += v.decode(ids[(int) (i % keep)]).length();
            }
            double dec = (System.nanoTime() - t2) / 1e9;
            if (chars == 0) {
                throw new IllegalStateException("decoded nothing");
            }
            return new Result(lines.size(), v.size(), learn, sentences, tokens, enc, encCpu, dec);
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
