package org.mtcompress.bench;

import org.mtcompress.compress.embedding.PackedIntTable;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * JMH version of {@link EmbeddingLookupBenchmark}: a batch of 64 x 32 token ids looked up densely or through the
 * fused gather + dequantize of a 4-bit group-64 {@link PackedIntTable}. Run with
 * {@code java -cp target/classes:target/lib/* org.openjdk.jmh.Main EmbeddingLookupJmh -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"}) // the SIMD kernels of the fused lookup
public class EmbeddingLookupJmh {
    @Param({"8000x256", "32000x512"})
    public String shape;

    private float[] flat;
    private float[][] rows;
    private PackedIntTable int4g64;
    private PackedIntTable int8channel;
    private int[] ids;
    private float[] out;
    private int cols;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        int r = Integer.parseInt(p[0]);
        cols = Integer.parseInt(p[1]);
        flat = EmbeddingLookupBenchmark.table(r, cols, 1);
        rows = new float[r][];
        for (int i = 0; i < r; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
        }
        int4g64 = PackedIntTable.quantize(flat, r, cols, 4, 64);
        int8channel = PackedIntTable.quantize(flat, r, cols, 8, cols);
        ids = EmbeddingLookupBenchmark.ids(64 * 32, r, 2);
        out = new float[ids.length * cols];
    }

    @Benchmark
    public float[] denseFlat() {
        EmbeddingLookupBenchmark.denseFlat(flat, cols, ids, out);
        return out;
    }

    @Benchmark
    public float[] denseRows() {
        EmbeddingLookupBenchmark.denseRows(rows, ids, out);
        return out;
    }

    @Benchmark
    public float[] fusedInt4Group64() {
        int4g64.gather(ids, out);
        return out;
    }

    @Benchmark
    public float[] fusedInt4Group64Scalar() {
        int4g64.gatherScalar(ids, 0, ids.length, out, 0);
        return out;
    }

    @Benchmark
    public float[] fusedInt8Channel() {
        int8channel.gather(ids, out);
        return out;
    }
}
