package org.mtcompress.report;

/**
 * Counts of values in equal-width bins over {@code [low, high]}: what a run stores of its weights so the
 * poster's histogram figure can be drawn from run folders alone.
 */
public record Histogram(double low, double high, long[] counts) {
    /** Histogram of {@code values} in {@code bins} bins over {@code [low, high]}; values outside are clamped in. */
    public static Histogram of(float[] values, int bins, double low, double high) {
        if (bins < 1 || !(high > low)) {
            throw new IllegalArgumentException("need bins >= 1 and high > low");
        }
        long[] counts = new long[bins];
        double scale = bins / (high - low);
        for (float v : values) {
            int b = (int) Math.floor((v - low) * scale);
            counts[Math.max(0, Math.min(bins - 1, b))]++;
        }
        return new Histogram(low, high, counts);
    }

    public double binWidth() {
        return (high - low) / counts.length;
    }

    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }
}
