package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** Settings of {@link TernaryCompressor}: trained ternary quantization, 2 bits per weight. */
@Doc("trained ternary quantization (values -b, 0, +a per tensor): scope and threshold")
public record TernarySpec(
        @Doc("ternary") String name,
        @Doc("Which parameters to quantize") @Default("{}") ScopeSpec scope,
        @Doc("Threshold factor t: weights with |w| <= t * max|w| of their tensor become 0 (the paper's 0.05)")
        @Default("0.05") @Range(min = 0, max = 0.99) double threshold) implements CompressorSpec {

    public TernarySpec {
        Names.require(name, TernaryCompressor.NAME);
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("key 'threshold': must be in [0, 1), got " + threshold);
        }
    }

    @Override
    public TernarySpec withScope(ScopeSpec s) {
        return new TernarySpec(name, s, threshold);
    }
}
