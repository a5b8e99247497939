package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** Settings of the scalar quantizers: group-wise intN ({@code intn}) and clipped uniform ({@code uniform_clip}). */
@Doc("Scalar quantization settings (intn, uniform_clip)")
public record QuantSettings(
        @Doc("intn: scale sharing, channel (one per row) or group (one per group_size values of a row)")
        @Default("group") QuantStrategy strategy,
        @Doc("intn: values per scale along each row with strategy group (the last group of a row may be shorter)")
        @Default("64") @Range(min = 1, max = 1e9) int groupSize,
        @Doc("uniform_clip: golden-section search tolerance on the clipping threshold, as a fraction of max|w|")
        @Default("1e-4") @Range(min = 1e-9, max = 0.5) double clipTolerance) {

    public static QuantSettings defaults() {
        return new QuantSettings(QuantStrategy.GROUP, 64, 1e-4);
    }

    public QuantSettings {
        if (strategy == null) {
            strategy = QuantStrategy.GROUP;
        }
        if (groupSize < 1) {
            throw new IllegalArgumentException("quant.group_size must be >= 1, got " + groupSize);
        }
        if (!(clipTolerance > 0 && clipTolerance < 1)) {
            throw new IllegalArgumentException("quant.clip_tolerance must be in (0, 1), got " + clipTolerance);
        }
    }
}
