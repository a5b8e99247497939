package org.mtcompress.bench;

import org.mtcompress.compress.BinaryKernels;
import org.mtcompress.compress.KMeansSpec;
import org.mtcompress.compress.FloatSort;
import org.mtcompress.compress.KMeans1D;
import org.mtcompress.compress.KMeansCompressor;
import org.mtcompress.compress.KMeansSettings;
import org.mtcompress.model.ParameterMap;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Plain timings of the compressors' hot paths on one thread (what {@code mtc bench compress} prints): median
 * wall time and median CPU time of the calling thread over several repetitions after warm-up. CPU time is
 * shown because on a shared machine wall time includes waiting for a core. {@link CompressBench} measures the
 * same with JMH.
 */
public final class CompressTimings {
    /** One measured operation. */
    public record Row(String name, double wallMs, double cpuMs, double goalMs) {
        public String verdict() {
            if (Double.isNaN(goalMs)) {
                return "";
            }
            return cpuMs < goalMs ? (wallMs < goalMs ? "met" : "met (cpu), wall over") : "MISSED";
        }
    }

    private CompressTimings() {
    }

    /** Runs every operation on {@code n} Gaussian weights, {@code reps} measured repetitions after 2 warm-ups. */
    public static List<Row> run(int n, int reps) {
        Random rnd = new Random(42);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        List<Row> rows = new ArrayList<>();
        float[] copy = new float[n];
        rows.add(time("baseline: copy " + n + " floats", reps, Double.NaN, () -> System.arraycopy(w, 0, copy, 0, n)));
        rows.add(time("kmeans 4-bit: codebook + assignment", reps, 1000,
                () -> KMeans1D.assign(w, KMeans1D.fit(w, 16, KMeansSettings.defaults(), 42))));
        ParameterMap model = new ParameterMap().put("encoder.layers.0.fc1.weight", new long[] {n}, w);
        rows.add(time("kmeans 4-bit: whole compressor (read, fit, write)", reps, Double.NaN, () -> {
            model.write("encoder.layers.0.fc1.weight", w);
            new KMeansCompressor(KMeansSpec.of(4)).compress(model, List.of("encoder.layers.0.fc1.weight"));
        }));
        float[] latent = w.clone();
        byte[] codes = new byte[n];
        float[] out = new float[n];
        float[] c = {-0.04f, 0.04f};
        BinaryKernels.assign(latent, c[0], c[1], codes, out);
        float[] now = new float[n];
        for (int i = 0; i < n; i++) {
            now[i] = out[i] + (float) (rnd.nextGaussian() * 1e-3);
        }
        rows.add(time("bsflex: one step (update, reassign, means, write)", reps, 50,
                () -> BinaryKernels.flexStep(latent, now, codes, c, out)));
        rows.add(time("binary_fixed: one step", reps, Double.NaN,
                () -> BinaryKernels.fixedStep(latent, now, codes, c[0], c[1], out)));
        rows.add(time("radix sort", reps, Double.NaN, () -> FloatSort.sortedCopy(w)));
        rows.add(time("Arrays.sort (reference)", Math.min(reps, 3), Double.NaN, () -> Arrays.sort(w.clone())));
        return rows;
    }

    private static Row time(String name, int reps, double goal, Runnable op) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        op.run();
        op.run();
        double[] wall = new double[reps];
        double[] cpu = new double[reps];
        for (int r = 0; r < reps; r++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            op.run();
            wall[r] = (System.nanoTime() - t0) / 1e6;
            cpu[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        return new Row(name, median(wall), median(cpu), goal);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The rows as a Markdown table. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| operation | wall ms (median) | cpu ms (median) | goal ms | |\n|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s | %s |%n", r.name(), r.wallMs(), r.cpuMs(),
                    Double.isNaN(r.goalMs()) ? "" : String.format(Locale.ROOT, "< %.0f", r.goalMs()), r.verdict()));
        }
        return sb.toString();
    }
}
