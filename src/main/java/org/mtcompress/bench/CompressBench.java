package org.mtcompress.bench;

import org.mtcompress.compress.BinaryKernels;
import org.mtcompress.compress.KMeansSpec;
import org.mtcompress.compress.FloatSort;
import org.mtcompress.compress.KMeans1D;
import org.mtcompress.compress.KMeansCompressor;
import org.mtcompress.compress.KMeansSettings;
import org.mtcompress.model.ParameterMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Speed of the compressors' hot paths on one thread, on Gaussian weights (std 0.05, like a trained layer).
 * Goals (issue 6): 4-bit k-means of 10M weights under 1 s; one BS-Flex reassignment of 10M weights under 50 ms.
 *
 * <p>Run: {@code mvn -B -o -q package -DskipTests && java -cp "target/classes:target/lib/*"
 * org.openjdk.jmh.Main CompressBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
public class CompressBench {
    @Param("10000000")
    public int n;

    private float[] weights;
    private ParameterMap model;
    private float[] latent;
    private float[] now;
    private float[] out;
    private byte[] codes;
    private float[] centroids;

    @Setup(Level.Trial)
    public void setup() {
        Random rnd = new Random(42);
        weights = new float[n];
        for (int i = 0; i < n; i++) {
            weights[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        model = new ParameterMap().put("encoder.layers.0.fc1.weight", new long[] {n / 1000, 1000}, weights);
        latent = weights.clone();
        codes = new byte[n];
        out = new float[n];
        centroids = new float[] {-0.04f, 0.04f};
        BinaryKernels.assign(latent, centroids[0], centroids[1], codes, out);
        now = new float[n];
        for (int i = 0; i < n; i++) {
            now[i] = out[i] + (float) (rnd.nextGaussian() * 1e-3);
        }
    }

    /** 4-bit codebook (exact DP on a 65536-bin histogram, then Lloyd on all values) plus the assignment. */
    @Benchmark
    public int[] kmeans4bitFitAndAssign() {
        float[] c = KMeans1D.fit(weights, 16, KMeansSettings.defaults(), 42);
        return KMeans1D.assign(weights, c);
    }

    /** The whole compressor on one 10M tensor: restore the weights (one 10M copy), read, fit, assign, write. */
    @Benchmark
    public Object kmeans4bitCompressor() {
        model.write("encoder.layers.0.fc1.weight", weights);
        return new KMeansCompressor(KMeansSpec.of(4)).compress(model, List.of("encoder.layers.0.fc1.weight"));
    }

    /** One BS-Flex step: latent update, reassignment by the midpoint, new centroids, binarized write-back. */
    @Benchmark
    public float[] bsflexStep() {
        BinaryKernels.flexStep(latent, now, codes, centroids, out);
        return out;
    }

    @Benchmark
    public float[] radixSort() {
        return FloatSort.sortedCopy(weights);
    }

    @Benchmark
    public float[] arraysSort() {
        float[] c = weights.clone();
        java.util.Arrays.sort(c);
        return c;
    }
}
