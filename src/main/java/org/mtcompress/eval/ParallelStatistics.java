package org.mtcompress.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Per-segment statistics of a long corpus on several threads: the segments are cut into contiguous chunks, each
 * scored by its own metric instance (instances reuse buffers, so none is shared). Statistics are integer counts
 * per segment, so the result equals {@link Metric#segmentStatistics} on one thread exactly.
 */
public final class ParallelStatistics {
    /** Below this many segments per thread, another thread costs more than it saves. */
    static final int MIN_SEGMENTS_PER_THREAD = 2000;

    private ParallelStatistics() {
    }

    /** Threads worth using for {@code segments} segments on this machine. */
    public static int threadsFor(int segments) {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), segments / MIN_SEGMENTS_PER_THREAD));
    }

    /**
     * Statistics of {@code hyps} against the reference streams {@code refs}, computed on {@code threads} threads,
     * each with a fresh metric from {@code metric}.
     */
    public static int[][] compute(Supplier<Metric> metric, List<String> hyps, List<List<String>> refs, int threads) {
        int n = hyps.size();
        int t = Math.max(1, Math.min(threads, n));
        if (t == 1) {
            return metric.get().segmentStatistics(hyps, refs);
        }
        int[][] stats = new int[n][];
        List<Thread> workers = new ArrayList<>();
        RuntimeException[] failure = new RuntimeException[t];
        for (int k = 1; k < t; k++) {
            int chunk = k;
            Thread w = new Thread(() -> {
                try {
                    chunk(metric.get(), hyps, refs, n * chunk / t, n * (chunk + 1) / t, stats);
                } catch (RuntimeException e) {
                    failure[chunk] = e;
                }
            }, "eval-statistics-" + k);
            w.setDaemon(true);
            w.start();
            workers.add(w);
        }
        chunk(metric.get(), hyps, refs, 0, n / t, stats);
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while scoring", e);
            }
        }
        for (RuntimeException e : failure) {
            if (e != null) {
                throw e;
            }
        }
        return stats;
    }

    private static void chunk(Metric m, List<String> hyps, List<List<String>> refs, int from, int to, int[][] out) {
        List<List<String>> r = new ArrayList<>(refs.size());
        for (List<String> stream : refs) {
            r.add(stream.subList(from, to));
        }
        int[][] s = m.segmentStatistics(hyps.subList(from, to), r);
        System.arraycopy(s, 0, out, from, s.length);
    }
}
