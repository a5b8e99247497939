package org.mtcompress.cli;

import org.mtcompress.compress.CompressionPipeline;
import org.mtcompress.compress.CompressorRegistry;
import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.compress.Encoding;
import org.mtcompress.compress.Mtcz;
import org.mtcompress.compress.PruningSettings;
import org.mtcompress.compress.PruningSpec;
import org.mtcompress.compress.ScopePreset;
import org.mtcompress.compress.ScopeSpec;
import org.mtcompress.compress.PruningThreshold;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.CacheDirs;
import org.mtcompress.data.DatasetSpecs;
import org.mtcompress.data.PreparedData;
import org.mtcompress.data.SentencePieceVocabulary;
import org.mtcompress.util.MachineInfo;
import org.mtcompress.experiment.ExperimentConfig;
import org.mtcompress.experiment.Provenance;
import org.mtcompress.experiment.VariantSpec;
import org.mtcompress.infer.PackedModel;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.Decoder;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.model.Transformer;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mtc bench decode}: sentences per second (greedy and beam 4) and memory of decoding with the plain-Java
 * decoder, dense fp32 against the packed stored forms of several compressions of the same model, on the first
 * sentences of a test split's sources. Each variant is written as a {@code .mtcz} first and read back alone.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Decoding speed and memory, dense fp32 vs packed (.mtcz stored forms): k-means 4-bit on every "
                + "matrix, W4-g64 embeddings, 80 %% pruning, and the mixed-precision recipe of experiments/poster.yaml "
                + "(k-means 1-bit on self-attention + 4-bit on every other matrix; its stages without retraining). "
                + "Medians of --reps runs, variants alternated.",
        footer = {"", "Examples:", "  ./mtc bench decode --sizes small --sentences 100 --out results/bench/decode.md",
                "  ./mtc bench decode --checkpoint results/runs/x/best.mtck", "  ./mtc bench decode --checkpoint model.mtcz"})
public final class BenchDecodeCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", description = "a trained .mtck (vocab.model beside it) or a .mtcz; without it, "
            + "random weights of each --sizes shape")
    Path checkpoint;

    @Option(names = "--sizes", split = ",", defaultValue = "small", description = "shapes for random weights: tiny, small, base")
    List<String> sizes;

    @Option(names = "--data", defaultValue = "multi30k", description = "data set whose test split is decoded (and "
            + "whose vocabulary random-weight models use)")
    String data;

    @Option(names = "--split", defaultValue = "test_2016_flickr", description = "the test split whose sources are decoded")
    String split;

    @Option(names = "--sentences", defaultValue = "100", description = "decode the first N sources (default ${DEFAULT-VALUE})")
    int sentences;

    @Option(names = "--reps", defaultValue = "3", description = "timed runs per variant; the median is reported")
    int reps;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the table with its provenance (markdown)")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One model to decode: a .mtcz file, read with its matrices packed or decoded to dense. */
    private record Variant(String name, Path file, boolean packed) {
    }

    @Override
    public Integer call() throws IOException {
        if (sentences < 1 || reps < 1) {
            throw new MtcException("--sentences and --reps must be >= 1");
        }
        Path work = Files.createTempDirectory("mtc-bench-decode-");
        List<String> lines = new ArrayList<>();
        String header = String.format(Locale.ROOT, "%-7s %-16s %-36s %9s %7s %10s %10s %10s %10s %8s %8s %9s %10s",
                "model", "variant", "forms", "weights", "vs fp32", "greedy s/s", "beam4 s/s", "greedy w/s", "beam4 w/s",
                "greedy x", "beam4 x", "heap live", "heap peak");
        try {
            List<String> names = checkpoint != null ? List.of(checkpoint.getFileName().toString()) : sizes;
            for (String name : names) {
                Source src = checkpoint != null ? fromCheckpoint(work) : randomWeights(name, work);
                List<Variant> variants = variants(src, work);
                lines.addAll(measure(name, src, variants));
            }
        } finally {
            try (var s = Files.walk(work)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        List<String> kernels = sparseVsDense();
        System.out.println(header);
        lines.forEach(System.out::println);
        kernels.forEach(System.out::println);
        String peak = "process peak RSS " + MachineInfo.peakRssMb() + " MB (whole bench, including building the variants)";
        System.out.println(peak);
        if (out != null) {
            write(header, lines, peak, kernels);
        }
        return 0;
    }

    /** A model to benchmark: its .mtcz (uncompressed or as given), sources as ids, how far decoding may run. */
    private record Source(Path mtcz, List<int[]> ids, int maxExtra, String what) {
    }

    private Source randomWeights(String size, Path work) {
        ModelConfig cfg = BenchCommand.Train.shape(size, 0);
        PreparedData d = PreparedData.prepare(DatasetSpecs.load(data), CacheDirs.resolve(null));
        SentencePieceVocabulary v = d.vocab();
        Transformer m = Transformer.create(cfg, v.size(), v.padId(), v.bosId(), v.eosId(), 1);
        ParameterMap p = ParameterMap.copyOf(m.parameters());
        Mtcz.Header h = new Mtcz.Header(cfg, new Checkpoint.Vocab(v.size(), v.padId(), v.bosId(), v.eosId(), v.contentHash()),
                read(v.modelFile()), read(SentencePieceVocabulary.piecesFileOf(v.modelFile())), List.of(),
                Map.of("source", "random weights, seed 1"));
        Path f = work.resolve(size + ".mtcz");
        Mtcz.write(f, h, p, Encoding.of(Map.of()));
        // random weights almost never emit EOS: every hypothesis runs to the batch's longest source length
        // (max_extra 0), close to real target lengths, instead of 50 tokens more
        return new Source(f, sources(v), 0, "random weights (seed 1) of shape " + size + ", vocabulary " + v.size()
                + " of " + data);
    }

    private Source fromCheckpoint(Path work) {
        String n = checkpoint.getFileName().toString();
        if (n.endsWith(".mtcz")) {
            Mtcz.Contents c = Mtcz.read(checkpoint);
            try (SentencePieceVocabulary v = SentencePieceVocabulary.fromBytes(c.header().vocabModel(), c.header().vocabPieces())) {
                return new Source(checkpoint, sources(v), 50, checkpoint.toString());
            }
        }
        if (!n.endsWith(".mtck")) {
            throw new MtcException("--checkpoint " + checkpoint + ": expected a .mtck or .mtcz file");
        }
        Checkpoint ck = Checkpoint.load(checkpoint);
        Path vocabFile = checkpoint.toAbsolutePath().getParent().resolve("vocab.model");
        if (!Files.isRegularFile(vocabFile)) {
            throw new MtcException("vocabulary not found: " + vocabFile);
        }
        Mtcz.Header h = new Mtcz.Header(ck.model(), ck.vocab(), read(vocabFile),
                read(SentencePieceVocabulary.piecesFileOf(vocabFile)), List.of(), Map.of("source", n));
        Path f = work.resolve("checkpoint.mtcz");
        Mtcz.write(f, h, ck.parameters(), Encoding.of(Map.of()));
        try (SentencePieceVocabulary v = SentencePieceVocabulary.load(vocabFile)) {
            return new Source(f, sources(v), 50, checkpoint.toString());
        }
    }

    private List<int[]> sources(SentencePieceVocabulary v) {
        PreparedData d = PreparedData.prepare(DatasetSpecs.load(data), CacheDirs.resolve(null));
        List<String> text = null;
        for (PreparedData.Split s : d.tests()) {
            if (s.name().equals(split)) {
                text = s.text().source();
            }
        }
        if (text == null) {
            throw new MtcException("--split: no test split '" + split + "' in " + data);
        }
        List<int[]> ids = new ArrayList<>();
        for (String line : text.subList(0, Math.min(sentences, text.size()))) {
            ids.add(v.encode(line));
        }
        return ids;
    }

    /** The variants of a source: itself (dense, or as stored for a .mtcz) and the compressions, as .mtcz files. */
    private List<Variant> variants(Source src, Path work) {
        Mtcz.Contents base = Mtcz.read(src.mtcz());
        List<Variant> out = new ArrayList<>();
        out.add(new Variant("dense fp32", src.mtcz(), false));
        if (!base.encoding().tensors().isEmpty()) {
            out.add(new Variant("as stored", src.mtcz(), true));
            return out;
        }
        Map<String, List<CompressionPipeline.Stage>> recipes = new LinkedHashMap<>();
        recipes.put("kmeans-4bit-all", List.of(CompressionPipeline.Stage.of(CompressorSpec.defaults("kmeans", 4))));
        recipes.put("emb-w4-g64", List.of(CompressionPipeline.Stage.of(ConfigLoader.load(
                Path.of("configs/compress/emb-w4-g64.yaml"), List.of(), CompressorSpec.class).value())));
        recipes.put("prune-80", List.of(CompressionPipeline.Stage.of(new PruningSpec("prune", ScopeSpec.of(ScopePreset.ALL),
                new PruningSettings(0.8, 0.8, 0, 1, false, PruningThreshold.PER_TENSOR)))));
        recipes.put(MIXED_PRECISION, mixedPrecision());
        for (Map.Entry<String, List<CompressionPipeline.Stage>> e : recipes.entrySet()) {
            ParameterMap p = base.params();
            CompressionPipeline.Result r = CompressionPipeline.run(p, e.getValue(), CompressorRegistry.standard(),
                    (k, st) -> null);
            Path f = work.resolve(src.mtcz().getFileName() + "-" + e.getKey() + ".mtcz");
            Mtcz.Header h = base.header();
            for (CompressionPipeline.Stage st : e.getValue()) {
                h = h.withStage(Map.of("compressor", ConfigLoader.toPlain(st.compressor())), h.provenance());
            }
            Mtcz.write(f, h, p, r.encoding());
            out.add(new Variant(e.getKey(), f, true));
        }
        return out;
    }

    /** The recipe row: the {@value #MIXED_PRECISION} variant of {@value #POSTER}, its stages without retraining. */
    static final String MIXED_PRECISION = "mixed-precision";
    static final String POSTER = "experiments/poster.yaml";

    static List<CompressionPipeline.Stage> mixedPrecision() {
        for (VariantSpec v : ExperimentConfig.load(Path.of(POSTER), List.of()).value().variants()) {
            if (v.name().equals(MIXED_PRECISION)) {
                return v.recipe().stream().map(st -> CompressionPipeline.Stage.of(st.compressor())).toList();
            }
        }
        throw new MtcException(POSTER + ": no variant '" + MIXED_PRECISION + "' (the bench's recipe row)");
    }

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Per variant: resident weights, median CPU and wall seconds of greedy and beam-4 decoding over reps, heap. The
     * decoder runs on this one thread, so its CPU seconds are the work done, which neighbours on a shared machine
     * change far less than the wall time.
     */
    private List<String> measure(String model, Source src, List<Variant> variants) {
        int n = variants.size();
        double[][] greedy = new double[n][reps], beam = new double[n][reps];
        double[][] greedyCpu = new double[n][reps], beamCpu = new double[n][reps];
        long[] heapPeak = new long[n], heapLive = new long[n], resident = new long[n];
        String[] forms = new String[n];
        for (int rep = 0; rep < reps; rep++) {
            for (int i = 0; i < n; i++) {
                Variant v = variants.get(i);
                long before = liveHeap();
                PackedModel m = PackedModel.of(Mtcz.read(v.file()), v.packed());
                resident[i] = m.residentBytes();
                heapLive[i] = Math.max(heapLive[i], liveHeap() - before);
                List<MemoryPoolMXBean> heap = heapPools();
                heap.forEach(MemoryPoolMXBean::resetPeakUsage);
                forms[i] = m.forms().toString().replace(" ", "");
                long t0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
                new Decoder(m, 1, 0.6, src.maxExtra()).translate(src.ids(), 128);
                long t1 = System.nanoTime(), c1 = THREADS.getCurrentThreadCpuTime();
                new Decoder(m, 4, 0.6, src.maxExtra()).translate(src.ids(), 32);
                long t2 = System.nanoTime(), c2 = THREADS.getCurrentThreadCpuTime();
                greedy[i][rep] = (t1 - t0) / 1e9;
                beam[i][rep] = (t2 - t1) / 1e9;
                greedyCpu[i][rep] = (c1 - c0) / 1e9;
                beamCpu[i][rep] = (c2 - c1) / 1e9;
                heapPeak[i] = Math.max(heapPeak[i], heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum()
                        - before);
                System.err.printf(Locale.ROOT, "%s %s rep %d: greedy %.2f s (cpu %.2f), beam 4 %.2f s (cpu %.2f)%n",
                        model, v.name(), rep + 1, greedy[i][rep], greedyCpu[i][rep], beam[i][rep], beamCpu[i][rep]);
            }
        }
        List<String> rows = new ArrayList<>();
        double g0 = median(greedyCpu[0]), b0 = median(beamCpu[0]);
        for (int i = 0; i < n; i++) {
            double g = median(greedyCpu[i]), b = median(beamCpu[i]);
            rows.add(String.format(Locale.ROOT, "%-7s %-16s %-36s %6.1f MB %7.3f %10.2f %10.2f %10.2f %10.2f %8.2f %8.2f "
                            + "%6.1f MB %7d MB", model, variants.get(i).name(), forms[i], resident[i] / 1e6,
                    (double) resident[i] / resident[0], src.ids().size() / g, src.ids().size() / b,
                    src.ids().size() / median(greedy[i]), src.ids().size() / median(beam[i]), g / g0, b / b0,
                    heapLive[i] / 1e6, heapPeak[i] >> 20));
        }
        rows.add("  (" + src.what() + "; " + src.ids().size() + " sentences of " + split + ")");
        return rows;
    }

    /** Bytes of reachable heap objects (used heap right after a full collection). */
    private static long liveHeap() {
        System.gc();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        List<MemoryPoolMXBean> out = new ArrayList<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isValid()) {
                out.add(p);
            }
        }
        return out;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new MtcException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where the sparse product beats the dense one: a [1024, 256] matrix (the small model's fc1) times 64 input
     * rows at several densities, median of 5 timings of 10 products each.
     */
    private static List<String> sparseVsDense() {
        int rows = 1024, cols = 256, n = 64;
        java.util.Random r = new java.util.Random(1);
        float[] x = new float[n * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] y = new float[n * rows];
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("sparse (CSR) vs dense product, [1024, 256] x 64 rows, CPU ms per product (median of 5 x 10):");
        out.add(String.format(Locale.ROOT, "%8s %9s %9s %7s", "kept", "dense ms", "sparse ms", "ratio"));
        for (double density : new double[] {0.1, 0.2, 0.3, 0.4, 0.5}) {
            float[] w = new float[rows * cols];
            for (int i = 0; i < w.length; i++) {
                w[i] = r.nextDouble() < density ? (float) r.nextGaussian() : 0f;
            }
            org.mtcompress.compress.SparseTensor st = org.mtcompress.compress.SparseTensor.ofDense(new long[] {rows, cols}, w);
            org.mtcompress.infer.LinearWeights sparse = new org.mtcompress.infer.SparseWeights(st.positions(), st.values(), rows, cols);
            org.mtcompress.infer.LinearWeights dense = new org.mtcompress.infer.DenseWeights(w, rows, cols);
            double[] td = new double[5], ts = new double[5];
            for (int rep = 0; rep < 5; rep++) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                for (int k = 0; k < 10; k++) {
                    dense.multiply(x, n, null, y);
                }
                long t1 = THREADS.getCurrentThreadCpuTime();
                for (int k = 0; k < 10; k++) {
                    sparse.multiply(x, n, null, y);
                }
                long t2 = THREADS.getCurrentThreadCpuTime();
                td[rep] = (t1 - t0) / 1e7;
                ts[rep] = (t2 - t1) / 1e7;
            }
            out.add(String.format(Locale.ROOT, "%7.0f%% %9.2f %9.2f %7.2f", 100 * density, median(td), median(ts),
                    median(ts) / median(td)));
        }
        return out;
    }

    private void write(String header, List<String> rows, String peak, List<String> kernels) {
        Provenance p = new Provenance("bench-decode", 1, Path.of("").toAbsolutePath());
        StringBuilder md = new StringBuilder("# mtc bench decode\n\n");
        md.append("Produced by `./mtc ").append(String.join(" ", spec.commandLine().getParseResult()
                .originalArgs())).append("`: the plain-Java decoder (`infer.PackedModel`), one thread, on the first ")
                .append(sentences).append(" sources of ").append(data).append(" ").append(split)
                .append("; greedy in batches of 128 sentences, beam 4 (length penalty 0.6) in batches of 32; medians of ")
                .append(reps).append(" runs with the variants alternated. `greedy s/s`, `beam4 s/s`: sentences per CPU "
                        + "second of the decoding thread (the decoder is single-threaded; on a shared machine CPU time "
                        + "is the stable figure); `greedy w/s`, `beam4 w/s`: sentences per wall-clock second. `weights`: bytes of the parameters held while "
                        + "decoding (stored forms of the matrices, fp32 vectors); `vs fp32`: over the dense row; `greedy x`, "
                        + "`beam4 x`: decode CPU time over the dense row's; `heap live`: reachable heap the loaded model "
                        + "adds (measured after a full collection: checks `weights`); `heap peak`: the Java heap's peak "
                        + "above that baseline while decoding (activations, caches and not yet collected garbage; the "
                        + "decoder keeps everything on the heap, no native memory).\n\n```\n")
                .append(header).append('\n');
        rows.forEach(r -> md.append(r).append('\n'));
        md.append(peak).append('\n');
        kernels.forEach(k -> md.append(k).append('\n'));
        md.append("```\n\nProvenance:\n\n```json\n").append(Json.write(p.toJson())).append("\n```\n");
        AtomicFiles.writeString(out, md.toString());
    }
}
