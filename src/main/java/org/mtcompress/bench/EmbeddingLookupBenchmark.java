package org.mtcompress.bench;

import org.mtcompress.compress.embedding.PackedIntTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Times the embedding lookup of a batch of token ids: dense gathers (a flat {@code float[]} and a
 * {@code float[][]} of rows, both by {@code System.arraycopy}) against the fused gather + dequantize of a
 * {@link PackedIntTable}. A plain timing loop (warm-up, then the median of several rounds) so that
 * {@code mtc bench embedding} prints a table in seconds; {@link EmbeddingLookupJmh} measures the same with JMH.
 */
public final class EmbeddingLookupBenchmark {
    private EmbeddingLookupBenchmark() {
    }

    /** One measured variant. */
    public record Row(String table, String variant, long memoryBytes, double microsPerBatch, double relTime,
                      double relMemory) {
    }

    /** The lookups compared, all on the same table and ids. */
    interface Lookup {
        void gather(int[] ids, float[] out);
    }

    /** A table of {@code rows x cols} Gaussian values (std 0.05, seeded). */
    static float[] table(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        return w;
    }

    /** {@code count} ids uniform in {@code [0, rows)} (seeded): every row equally likely, the cache's worst case. */
    static int[] ids(int count, int rows, long seed) {
        Random rnd = new Random(seed);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = rnd.nextInt(rows);
        }
        return ids;
    }

    /** Dense gather from a flat row-major array. */
    static void denseFlat(float[] table, int cols, int[] ids, float[] out) {
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(table, ids[i] * cols, out, i * cols, cols);
        }
    }

    /** Dense gather from one array per row. */
    static void denseRows(float[][] rows, int[] ids, float[] out) {
        int cols = rows[0].length;
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(rows[ids[i]], 0, out, i * cols, cols);
        }
    }

    /**
     * Measures each variant on a {@code rows x cols} table with a batch of {@code batch} ids and returns one row
     * per variant; times are relative to the flat dense gather.
     */
    public static List<Row> run(int rows, int cols, int batch, double secondsPerVariant) {
        float[] flat = table(rows, cols, 1);
        float[][] byRow = new float[rows][];
        for (int r = 0; r < rows; r++) {
            byRow[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        int[] ids = ids(batch, rows, 2);
        float[] out = new float[batch * cols];
        String name = rows + "x" + cols;
        long dense = 4L * rows * cols;

        List<String> variants = new ArrayList<>();
        List<Lookup> lookups = new ArrayList<>();
        List<Long> memory = new ArrayList<>();
        variants.add("dense float[] (arraycopy)");
        lookups.add((i, o) -> denseFlat(flat, cols, i, o));
        memory.add(dense);
        variants.add("dense float[][] (arraycopy)");
        lookups.add((i, o) -> denseRows(byRow, i, o));
        memory.add(dense + 16L * rows); // array headers and references, roughly
        int[][] configs = {{8, cols}, {4, 128}, {4, 64}};
        for (int[] c : configs) {
            PackedIntTable t = PackedIntTable.quantize(flat, rows, cols, c[0], Math.min(c[1], cols));
            variants.add("fused int" + c[0] + (c[1] == cols ? " channel" : " group " + c[1]));
            lookups.add(t::gather);
            memory.add(t.memoryBytes());
            if (PackedIntTable.VECTOR && c[0] == 4 && c[1] == 64) { // the target lookup without SIMD, for comparison
                variants.add("fused int" + c[0] + (c[1] == cols ? " channel" : " group " + c[1]) + " scalar");
                lookups.add((i, o) -> t.gatherScalar(i, 0, i.length, o, 0));
                memory.add(t.memoryBytes());
            }
        }
        double[] micros = time(lookups, ids, out, secondsPerVariant);
        List<Row> result = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            result.add(new Row(name, variants.get(v), memory.get(v), micros[v], micros[v] / micros[0],
                    memory.get(v) / (double) dense));
        }
        return result;
    }

    /**
     * Median microseconds per batch of each lookup. After a warm-up, the lookups take turns, one timed block of
     * calls each per round, so that load from other processes falls on all of them alike.
     */
    static double[] time(List<Lookup> lookups, int[] ids, float[] out, double secondsPerVariant) {
        int n = lookups.size();
        double[] perCall = new double[n];
        // two warm-up passes: the SIMD kernels are only fast once C2 has compiled them with the Vector API inlined,
        // which on a busy 2-core machine can take longer than one short pass (the first table measured came out
        // 2-3x slow with a single pass of 0.7 s)
        for (int pass = 0; pass < 2; pass++) {
            for (int v = 0; v < n; v++) {
                long warmEnd = System.nanoTime() + (long) (secondsPerVariant / 2 * 1e9);
                long t0 = System.nanoTime();
                int calls = 0;
                while (System.nanoTime() < warmEnd) {
                    lookups.get(v).gather(ids, out);
                    calls++;
                }
                perCall[v] = (System.nanoTime() - t0) / (double) Math.max(calls, 1);
            }
        }
        int rounds = 21;
        double[][] samples = new double[n][rounds];
        float sink = 0;
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < n; v++) {
                int reps = Math.max(1, (int) (secondsPerVariant * 2 / 3 * 1e9 / rounds / perCall[v]));
                long t0 = System.nanoTime();
                for (int k = 0; k < reps; k++) {
                    lookups.get(v).gather(ids, out);
                }
                samples[v][r] = (System.nanoTime() - t0) / 1e3 / reps;
                sink += out[(r * 31 + v) % out.length];
            }
        }
        if (sink == 12345.678f) {
            System.out.print(""); // keeps the results alive
        }
        double[] median = new double[n];
        for (int v = 0; v < n; v++) {
            Arrays.sort(samples[v]);
            median[v] = samples[v][rounds / 2];
        }
        return median;
    }

    /** A plain-text table of {@code rows}. */
    public static String format(List<Row> rows, int batch) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-12s %-34s %12s %10s %14s %10s%n";
        sb.append(String.format(Locale.ROOT, fmt, "table", "lookup (" + batch + " ids)", "memory MB", "mem/dense",
                "us/batch", "time/dense"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-12s %-34s %12.2f %10.3f %14.1f %10.2f%n", r.table(), r.variant(),
                    r.memoryBytes() / 1e6, r.relMemory(), r.microsPerBatch(), r.relTime()));
        }
        return sb.toString();
    }
}
