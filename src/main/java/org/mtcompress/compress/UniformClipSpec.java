package org.mtcompress.compress;

import org.mtcompress.compress.embedding.ClippedUniformQuantizer;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** Settings of {@link UniformClipCompressor}: uniform quantization with a searched clipping threshold. */
@Doc("clipped uniform quantization: bits, scope, search tolerance")
public record UniformClipSpec(
        @Doc("uniform_clip") String name,
        @Doc("Bits per value: 1, 2, 4, 8, 16 or 32") @Default("4") @Range(min = 1, max = 32) int bits,
        @Doc("Which parameters to quantize") @Default("{}") ScopeSpec scope,
        @Doc("The clipping search") @Default("{}") Quant quant) implements CompressorSpec {

    public UniformClipSpec {
        Names.require(name, UniformClipCompressor.NAME);
        try {
            ClippedUniformQuantizer.checkBits(bits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key 'bits': " + e.getMessage());
        }
    }

    @Override
    public UniformClipSpec withScope(ScopeSpec s) {
        return new UniformClipSpec(name, bits, s, quant);
    }

    /** The golden-section search for the clipping threshold. */
    @Doc("clipping search settings")
    public record Quant(
            @Doc("Golden-section search tolerance on the clipping threshold, as a fraction of max|w|")
            @Default("1e-4") @Range(min = 1e-9, max = 0.5) double clipTolerance) {
    }
}
