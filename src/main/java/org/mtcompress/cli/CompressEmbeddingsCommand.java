package org.mtcompress.cli;

import org.mtcompress.compress.embedding.ClippedUniformQuantizer;
import org.mtcompress.compress.embedding.GloveText;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mtc compress-embeddings}: uniform quantization with automatic clipping (Smallfry) of a word-vector
 * file in GloVe text format, stand-alone, with a report of the error and the compression.
 */
@Command(name = "compress-embeddings",
        mixinStandardHelpOptions = true,
        description = {
                "Quantize word vectors (GloVe text format: word then values, no header) uniformly to b bits,",
                "with the clipping threshold r chosen by golden-section search to minimise the squared error",
                "(Smallfry, May et al. 2019). Writes the quantized vectors in the same format and prints",
                "the mean squared error with and without clipping, the chosen r and the compression ratio."},
        footer = {"", "Example:", "  mtc compress-embeddings --input glove.6B.50d.txt --bits 2 --output glove.2bit.txt"})
public final class CompressEmbeddingsCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "word vectors, GloVe text format")
    Path input;

    @Option(names = "--output", required = true, description = "where to write the quantized vectors")
    Path output;

    @Option(names = "--bits", required = true, description = "bits per value: 1, 2, 4, 8, 16 or 32")
    int bits;

    @Option(names = "--tolerance", defaultValue = "1e-4",
            description = "golden-section tolerance, as a fraction of max|w| (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--report", description = "also write the report as JSON to this file")
    Path report;

    @Override
    public Integer call() {
        try {
            ClippedUniformQuantizer.checkBits(bits);
        } catch (IllegalArgumentException e) {
            throw new MtcException("--bits: " + e.getMessage());
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new MtcException("--tolerance must be in (0, 1), got " + tolerance);
        }
        if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new MtcException("--output must differ from --input (" + input + ")");
        }
        GloveText.Vectors vectors = GloveText.read(input);
        ClippedUniformQuantizer.Result r = ClippedUniformQuantizer.quantize(vectors.values(), bits, tolerance);
        GloveText.write(output, new GloveText.Vectors(vectors.words(), vectors.dim(), r.values()));

        long n = vectors.values().length;
        long storedBits = ClippedUniformQuantizer.storedBits(r);
        double ratio = 32.0 * n / storedBits;
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("input", input.toString());
        rep.put("output", output.toString());
        rep.put("words", vectors.words().size());
        rep.put("dim", vectors.dim());
        rep.put("bits", bits);
        rep.put("max_abs", r.maxAbs());
        rep.put("clip", r.clip());
        rep.put("clip_fraction_of_max", r.maxAbs() == 0 ? 1.0 : r.clip() / r.maxAbs());
        rep.put("mse", r.mse());
        rep.put("mse_no_clip", r.mseNoClip());
        rep.put("kept_as_is", r.keptAsIs());
        rep.put("dense_bits", 32L * n);
        rep.put("stored_bits", storedBits);
        rep.put("compression_ratio", ratio);
        if (report != null) {
            Json.writeFile(report, rep);
        }
        System.out.printf(Locale.ROOT, "%-22s %s%n", "input", input);
        System.out.printf(Locale.ROOT, "%-22s %d words x %d dims%n", "vectors", vectors.words().size(), vectors.dim());
        System.out.printf(Locale.ROOT, "%-22s %d%n", "bits", bits);
        System.out.printf(Locale.ROOT, "%-22s %.6g (%.1f%% of max|w| = %.6g)%s%n", "clip r", r.clip(),
                100 * (r.maxAbs() == 0 ? 1.0 : r.clip() / r.maxAbs()), r.maxAbs(),
                r.keptAsIs() ? "  [kept as is: at most 2^bits distinct values]" : "");
        System.out.printf(Locale.ROOT, "%-22s %.6e%n", "mse (clipped)", r.mse());
        System.out.printf(Locale.ROOT, "%-22s %.6e%n", "mse (no clipping)", r.mseNoClip());
        System.out.printf(Locale.ROOT, "%-22s %d -> %d bits%n", "size", 32L * n, storedBits);
        System.out.printf(Locale.ROOT, "%-22s %.2fx%n", "compression ratio", ratio);
        System.out.printf(Locale.ROOT, "%-22s %s%n", "output", output);
        return 0;
    }
}
