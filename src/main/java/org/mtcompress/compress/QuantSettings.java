package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** Scale sharing of group-wise intN quantization ({@code intn}). */
@Doc("intn scale sharing")
public record QuantSettings(
        @Doc("intn: scale sharing, channel (one per row) or group (one per group_size values of a row)")
        @Default("group") QuantStrategy strategy,
        @Doc("intn: values per scale along each row with strategy group (the last group of a row may be shorter)")
        @Default("64") @Range(min = 1, max = 1e9) int groupSize) {

    public static QuantSettings defaults() {
        return new QuantSettings(QuantStrategy.GROUP, 64);
    }

    public QuantSettings {
        if (strategy == null) {
            strategy = QuantStrategy.GROUP;
        }
        if (groupSize < 1) {
            throw new IllegalArgumentException("quant.group_size must be >= 1, got " + groupSize);
        }
    }
}
