package org.mtcompress.compress.embedding;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@code [rows, cols]} table quantized group-wise to symmetric signed {@code b}-bit integers (b in 1..8),
 * weight-only and data-free, computed as compressed-tensors (llm-compressor) computes it:
 * <ul>
 *   <li>groups run along each row: {@code group_size} consecutive values of a row share one scale (strategy
 *       {@code group}); strategy {@code channel} is the special case {@code group_size = cols}, one scale per
 *       row. When {@code cols} is not a multiple of {@code group_size} the last group of a row is shorter;</li>
 *   <li>the range is extended to include 0 and made symmetric: {@code m = max(|min(w,0)|, |max(w,0)|) = max|w|};</li>
 *   <li>{@code scale = m / ((q_max - q_min) / 2)} with {@code q in [-2^(b-1), 2^(b-1) - 1]} (divisor 7.5 for
 *       4 bits, 127.5 for 8), computed in float32 and clamped below at float32 epsilon;</li>
 *   <li>{@code q = clamp(rint(w / scale), q_min, q_max)} (float32 division, ties to even), zero point 0;</li>
 *   <li>dequantized value: {@code (float) q * scale}.</li>
 * </ul>
 * Storage: codes packed with {@link SignedBitPacking} (offset binary, low bits first; two 4-bit codes per byte, value
 * {@code 2j} in the low nibble), each row starting on a byte boundary ({@code ceil(cols * b / 8)} bytes); one
 * float32 scale per group (the precision of our float32 models, as compressed-tensors keeps scales in the
 * weight's dtype). {@link #packedBits()} and {@link #scaleBits()} count both, row padding included.
 *
 * <p>{@link #gather} is the fused lookup: it dequantizes only the rows asked for, straight from the packed
 * bytes, and never builds the dense table. {@link #gatherReference} is the plain path (dequantize everything,
 * then copy rows); the two give bit-identical floats.
 */
public final class PackedIntTable implements EmbeddingLookup {
    /** code byte -> low-nibble value (code - 8), for the 4-bit fast path. */
    private static final float[] LOW_NIBBLE = new float[256];
    /** code byte -> high-nibble value (code - 8), for the 4-bit fast path. */
    private static final float[] HIGH_NIBBLE = new float[256];

    /** code byte -> value (code - 128), for the 8-bit fast path (a table load beats an int-to-float conversion). */
    private static final float[] BYTE_VALUE = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            BYTE_VALUE[b] = b - 128;
            LOW_NIBBLE[b] = (b & 15) - 8;
            HIGH_NIBBLE[b] = ((b >>> 4) & 15) - 8;
        }
    }

    /**
     * True when the JVM runs with {@code --add-modules jdk.incubator.vector}: {@link #gather} then uses
     * {@link PackedIntVectorKernels} for 4 and 8 bits (same floats, about 2x faster), else the scalar loops.
     */
    public static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final int rows;
    private final int cols;
    private final int bits;
    private final int groupSize;
    private final int groupsPerRow;
    private final int rowBytes;
    private final byte[] packed;
    private final float[] scales;

    private PackedIntTable(int rows, int cols, int bits, int groupSize, byte[] packed, float[] scales) {
        this.rows = rows;
        this.cols = cols;
        this.bits = bits;
        this.groupSize = groupSize;
        this.groupsPerRow = (cols + groupSize - 1) / groupSize;
        this.rowBytes = SignedBitPacking.packedBytes(cols, bits);
        this.packed = packed;
        this.scales = scales;
    }

    /**
     * Quantizes the row-major table {@code w} of shape {@code [rows, cols]}; {@code groupSize = cols} gives one
     * scale per row (strategy channel).
     */
    public static PackedIntTable quantize(float[] w, int rows, int cols, int bits, int groupSize) {
        SignedBitPacking.checkBits(bits);
        if (rows < 1 || cols < 1 || (long) rows * cols != w.length) {
            throw new IllegalArgumentException("shape [" + rows + ", " + cols + "] does not match "
                    + w.length + " values");
        }
        if (groupSize < 1 || groupSize > cols) {
            throw new IllegalArgumentException("group size must be in 1.." + cols + ", got " + groupSize);
        }
        int qMin = SignedBitPacking.minValue(bits);
        int qMax = SignedBitPacking.maxValue(bits);
        float halfRange = (float) ((qMax - qMin) / 2.0);
        int groups = (cols + groupSize - 1) / groupSize;
        int rowBytes = SignedBitPacking.packedBytes(cols, bits);
        byte[] packed = new byte[Math.multiplyExact(rows, rowBytes)];
        float[] scales = new float[Math.multiplyExact(rows, groups)];
        int[] codes = new int[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int g = 0; g < groups; g++) {
                int from = g * groupSize;
                int to = Math.min(from + groupSize, cols);
                float min = 0f; // the range always includes 0
                float max = 0f;
                for (int j = from; j < to; j++) {
                    float v = w[base + j];
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException("value [" + r + ", " + j + "] is not finite: " + v);
                    }
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                float maxAbs = Math.max(Math.abs(min), Math.abs(max));
                float scale = Math.max(maxAbs / halfRange, Math.ulp(1.0f)); // float32 eps
                scales[r * groups + g] = scale;
                for (int j = from; j < to; j++) {
                    double q = Math.rint(w[base + j] / scale);
                    codes[j] = (int) Math.max(qMin, Math.min(qMax, q));
                }
            }
            SignedBitPacking.pack(codes, 0, cols, bits, packed, r * rowBytes);
        }
        return new PackedIntTable(rows, cols, bits, groupSize, packed, scales);
    }

    /**
     * Writes the table: {@code int rows, cols, bits, groupSize}, the packed code bytes, then the float32 scales
     * (big-endian); {@link #readFrom} reads it back bit for bit.
     */
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(rows);
        out.writeInt(cols);
        out.writeInt(bits);
        out.writeInt(groupSize);
        out.write(packed);
        ByteBuffer buf = ByteBuffer.allocate(4 * scales.length);
        buf.asFloatBuffer().put(scales);
        out.write(buf.array());
    }

    /** Reads a table written by {@link #writeTo}. */
    public static PackedIntTable readFrom(DataInputStream in) throws IOException {
        int rows = in.readInt();
        int cols = in.readInt();
        int bits = in.readInt();
        int groupSize = in.readInt();
        if (rows < 1 || cols < 1 || bits < 1 || bits > 8 || groupSize < 1 || groupSize > cols) {
            throw new IOException("bad packed int table header: rows " + rows + ", cols " + cols + ", bits " + bits
                    + ", group size " + groupSize);
        }
        byte[] packed = new byte[Math.multiplyExact(rows, SignedBitPacking.packedBytes(cols, bits))];
        in.readFully(packed);
        byte[] raw = new byte[Math.multiplyExact(4, Math.multiplyExact(rows, (cols + groupSize - 1) / groupSize))];
        in.readFully(raw);
        float[] scales = new float[raw.length / 4];
        ByteBuffer.wrap(raw).asFloatBuffer().get(scales);
        return new PackedIntTable(rows, cols, bits, groupSize, packed, scales);
    }

    @Override
    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    @Override
    public int dim() {
        return cols;
    }

    public int bits() {
        return bits;
    }

    public int groupSize() {
        return groupSize;
    }

    /** Bits of the packed codes, row padding included. */
    public long packedBits() {
        return (long) packed.length * 8;
    }

    /** Bits of the scales (float32 each). */
    public long scaleBits() {
        return (long) scales.length * Float.SIZE;
    }

    /** Number of scales ({@code rows * ceil(cols / groupSize)}). */
    public int scaleCount() {
        return scales.length;
    }

    /** Bytes held by this table's arrays (codes + scales). */
    public long memoryBytes() {
        return packed.length + 4L * scales.length;
    }

    /** The signed integer codes of one row (for tests and inspection). */
    public int[] codes(int row) {
        int[] out = new int[cols];
        SignedBitPacking.unpack(packed, row * rowBytes, bits, cols, out, 0);
        return out;
    }

    /** The scale of {@code group} in {@code row}. */
    public float scale(int row, int group) {
        return scales[row * groupsPerRow + group];
    }

    /** Reference path: the whole dense table, row-major, as {@code (float) q * scale}. */
    public float[] dequantize() {
        float[] out = new float[rows * cols];
        int[] q = new int[cols];
        for (int r = 0; r < rows; r++) {
            SignedBitPacking.unpack(packed, r * rowBytes, bits, cols, q, 0);
            for (int j = 0; j < cols; j++) {
                out[r * cols + j] = (float) q[j] * scales[r * groupsPerRow + j / groupSize];
            }
        }
        return out;
    }

    /** Reference path: dequantize everything, then copy row {@code ids[i]} to {@code out[i * cols ..]}. */
    public void gatherReference(int[] ids, float[] out) {
        float[] dense = dequantize();
        checkGather(ids, 0, ids.length, out, 0);
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(dense, ids[i] * cols, out, i * cols, cols);
        }
    }

    /** Fused lookup of all {@code ids} into {@code out[i * cols ..]}. */
    public void gather(int[] ids, float[] out) {
        gather(ids, 0, ids.length, out, 0);
    }

    /**
     * Fused gather + dequantize: row {@code ids[from + i]} goes to {@code out[outOffset + i * cols ..]}, read
     * straight from the packed codes of that row only.
     */
    @Override
    public void gather(int[] ids, int from, int count, float[] out, int outOffset) {
        checkGather(ids, from, count, out, outOffset);
        if (VECTOR && cols % groupSize == 0 && ((bits == 4 && groupSize % 16 == 0) || (bits == 8 && groupSize % 8 == 0))) {
            if (bits == 4) {
                PackedIntVectorKernels.gather4(packed, scales, cols, groupSize, rowBytes, ids, from, count, out, outOffset);
            } else {
                PackedIntVectorKernels.gather8(packed, scales, cols, groupSize, rowBytes, ids, from, count, out, outOffset);
            }
        } else {
            gatherScalar(ids, from, count, out, outOffset);
        }
    }

    /** The fused lookup without SIMD (what {@link #gather} does when the Vector API is not available). */
    public void gatherScalar(int[] ids, int from, int count, float[] out, int outOffset) {
        checkGather(ids, from, count, out, outOffset);
        if (bits == 4 && (groupSize & 1) == 0) {
            gather4(ids, from, count, out, outOffset);
        } else if (bits == 8) {
            gather8(ids, from, count, out, outOffset);
        } else {
            gatherAnyBits(ids, from, count, out, outOffset);
        }
    }

    /**
     * Rows {@code from .. from + count - 1}, dequantized into {@code out[outOffset ..]} row-major: the row decoder
     * of a product with the table (tied output projection), which reads the rows in order and needs no id list.
     * The same floats as {@link #gather}.
     */
    public void dequantizeRows(int from, int count, float[] out, int outOffset) {
        if (from < 0 || count < 0 || from + count > rows) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + (from + count) + ") of " + rows);
        }
        if (outOffset < 0 || (long) outOffset + (long) count * cols > out.length) {
            throw new IndexOutOfBoundsException("output needs " + ((long) count * cols) + " floats from "
                    + outOffset + ", has " + out.length);
        }
        if (bits == 4 && (groupSize & 1) == 0 && cols % groupSize == 0) {
            // full even groups and no row padding: the rows' codes are one run of bytes (byte p holds values 2p,
            // low nibble, and 2p+1, high) and their scales one run of floats, one per group
            final byte[] codes = packed;
            final float[] sc = scales;
            final int half = groupSize >>> 1;
            int p = from * rowBytes;
            int j = outOffset;
            for (int g = from * groupsPerRow, end = (from + count) * groupsPerRow; g < end; g++) {
                float s = sc[g];
                for (int k = 0; k < half; k++, p++, j += 2) {
                    int b = codes[p] & 0xFF;
                    out[j] = LOW_NIBBLE[b] * s;
                    out[j + 1] = HIGH_NIBBLE[b] * s;
                }
            }
            return;
        }
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = from + i;
        }
        gatherScalar(ids, 0, count, out, outOffset);
    }

    private void checkGather(int[] ids, int from, int count, float[] out, int outOffset) {
        if (from < 0 || count < 0 || from + count > ids.length) {
            throw new IndexOutOfBoundsException("ids range [" + from + ", " + (from + count) + ") of " + ids.length);
        }
        if (outOffset < 0 || (long) outOffset + (long) count * cols > out.length) {
            throw new IndexOutOfBoundsException("output needs " + ((long) count * cols) + " floats from "
                    + outOffset + ", has " + out.length);
        }
        for (int i = from; i < from + count; i++) {
            if (ids[i] < 0 || ids[i] >= rows) {
                throw new IndexOutOfBoundsException("id " + ids[i] + " at " + i + " outside [0, " + rows + ")");
            }
        }
    }

    private void gather4(int[] ids, int from, int count, float[] out, int outOffset) {
        // even group size: every group starts on a byte; byte p holds values 2p (low nibble) and 2p+1 (high)
        final byte[] codes = packed;
        final float[] sc = scales;
        final int cols = this.cols;
        final int gs = groupSize;
        final int groups = groupsPerRow;
        final int rb = rowBytes;
        if (cols % gs == 0) { // all groups full: the common case, kept as simple as possible for the JIT
            final int half = gs >>> 1;
            for (int i = 0; i < count; i++) {
                int row = ids[from + i];
                int p = row * rb;
                int sb = row * groups;
                int j = outOffset + i * cols;
                for (int g = 0; g < groups; g++) {
                    float s = sc[sb + g];
                    for (int k = 0; k < half; k++, p++, j += 2) {
                        int b = codes[p] & 0xFF;
                        out[j] = LOW_NIBBLE[b] * s;
                        out[j + 1] = HIGH_NIBBLE[b] * s;
                    }
                }
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            int row = ids[from + i];
            int byteBase = row * rb;
            int scaleBase = row * groups;
            int o = outOffset + i * cols;
            for (int g = 0, start = 0; g < groups; g++, start += gs) {
                float s = sc[scaleBase + g];
                int len = Math.min(gs, cols - start);
                int p = byteBase + (start >>> 1);
                int stop = o + start + (len & ~1);
                for (int j = o + start; j < stop; j += 2, p++) {
                    int b = codes[p] & 0xFF;
                    out[j] = LOW_NIBBLE[b] * s;
                    out[j + 1] = HIGH_NIBBLE[b] * s;
                }
                if ((len & 1) != 0) { // odd cols: the row's last value, low nibble
                    out[stop] = LOW_NIBBLE[codes[p] & 0xFF] * s;
                }
            }
        }
    }

    private void gather8(int[] ids, int from, int count, float[] out, int outOffset) {
        // one code byte per value, in row order
        final byte[] codes = packed;
        final float[] sc = scales;
        final int cols = this.cols;
        final int gs = groupSize;
        final int groups = groupsPerRow;
        for (int i = 0; i < count; i++) {
            int row = ids[from + i];
            int p = row * rowBytes;
            int sb = row * groups;
            int o = outOffset + i * cols;
            for (int g = 0, start = 0; g < groups; g++, start += gs) {
                float s = sc[sb + g];
                int end = Math.min(start + gs, cols);
                for (int j = start; j < end; j++) {
                    out[o + j] = BYTE_VALUE[codes[p + j] & 0xFF] * s;
                }
            }
        }
    }

    private void gatherAnyBits(int[] ids, int from, int count, float[] out, int outOffset) {
        int mask = (1 << bits) - 1;
        int off = 1 << (bits - 1);
        for (int i = 0; i < count; i++) {
            int row = ids[from + i];
            long bit = (long) row * rowBytes * 8;
            int scaleBase = row * groupsPerRow;
            int o = outOffset + i * cols;
            for (int g = 0, start = 0; g < groupsPerRow; g++, start += groupSize) {
                float s = scales[scaleBase + g];
                int end = Math.min(start + groupSize, cols);
                for (int j = start; j < end; j++) {
                    int q = SignedBitPacking.extract(packed, bit + (long) j * bits, bits, mask) - off;
                    out[o + j] = (float) q * s;
                }
            }
        }
    }
}
