package org.mtcompress.train;

import org.mtcompress.util.MachineInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Peak memory over one phase of a run (training, decoding), for {@code metrics.json}: the process's resident set
 * from the kernel's high-water mark, restarted at the phase's start ({@link MachineInfo#restartRssHighWaterMark};
 * where that is not allowed, the peak since the process started), which includes ND4J's off-heap arrays, and the
 * Java heap in use, sampled every 100 ms on a daemon thread and once more at the end. ND4J allocates its arrays in
 * native code that JavaCPP's byte counters do not see, so the resident set is the one off-heap figure. Memory the
 * allocator keeps from an earlier phase counts in a later phase's resident set (see {@code ./mtc}).
 */
public final class MemoryPeaks {
    private static final long SAMPLE_MS = 100;

    /** Peaks in MB: resident set, Java heap in use. */
    public record Peak(long rssMb, long heapMb) {
        /** The {@code metrics.json} form: {@code peak_rss_mb}, {@code peak_heap_mb}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("peak_rss_mb", rssMb);
            m.put("peak_heap_mb", heapMb);
            return m;
        }
    }

    private final Thread sampler;
    private volatile boolean running = true;
    private long heapBytes;

    private MemoryPeaks() {
        MachineInfo.restartRssHighWaterMark();
        sample();
        sampler = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(SAMPLE_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-peaks");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts measuring a phase. */
    public static MemoryPeaks start() {
        return new MemoryPeaks();
    }

    private synchronized void sample() {
        Runtime rt = Runtime.getRuntime();
        heapBytes = Math.max(heapBytes, rt.totalMemory() - rt.freeMemory());
    }

    /** Ends the phase and returns its peaks. */
    public Peak stop() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        synchronized (this) {
            return new Peak(MachineInfo.rssHighWaterMarkMb(), heapBytes >> 20);
        }
    }
}
