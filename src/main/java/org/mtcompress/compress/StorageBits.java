package org.mtcompress.compress;

/**
 * Bits needed to store one tensor, by part. Codebooks, centroids and scales (side tables) are fp32, counted in
 * {@code tableBits}; {@code valueBits} counts fp32 values kept as they are (untouched tensors, the non-zeros
 * of a pruned tensor).
 *
 * @param indexBits bit-packed indices into a codebook (or integer codes)
 * @param tableBits codebooks, scales, centroids
 * @param maskBits  sparsity structure (a bitmap or CSR indices, whichever is smaller)
 * @param valueBits full-precision values stored as such
 */
public record StorageBits(long indexBits, long tableBits, long maskBits, long valueBits) {
    public static final StorageBits ZERO = new StorageBits(0, 0, 0, 0);

    /** A tensor of {@code elements} fp32 values stored as is. */
    public static StorageBits raw(long elements) {
        return new StorageBits(0, 0, 0, 32L * elements);
    }

    public long total() {
        return indexBits + tableBits + maskBits + valueBits;
    }

    public StorageBits plus(StorageBits o) {
        return new StorageBits(indexBits + o.indexBits, tableBits + o.tableBits, maskBits + o.maskBits,
                valueBits + o.valueBits);
    }
}
