package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** Settings of {@link IntNCompressor}: symmetric integer quantization with per-row or per-group scales. */
@Doc("group-wise intN quantization: bits, scope, scale sharing")
public record IntNSpec(
        @Doc("intn") String name,
        @Doc("Bits per value") @Default("4") @Range(min = 1, max = 8) int bits,
        @Doc("Which parameters to quantize") @Default("{}") ScopeSpec scope,
        @Doc("Scale sharing") @Default("{}") QuantSettings quant) implements CompressorSpec {

    public IntNSpec {
        Names.require(name, IntNCompressor.NAME);
    }

    @Override
    public IntNSpec withScope(ScopeSpec s) {
        return new IntNSpec(name, bits, s, quant);
    }
}
