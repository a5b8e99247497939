package org.mtcompress.compress;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A pruned tensor: the positions of the kept elements plus their fp32 values; every other element is exactly 0.
 * The positions are stored as a bitmap (1 bit per element) or as CSR over {@code [rows, cols]} (rows = first
 * dimension, cols = the rest), whichever needs fewer bits. CSR: {@code rows+1} row pointers of
 * {@code bitsFor(nnz)} bits and {@code nnz} column indices of {@code bitsFor(cols-1)} bits, bit-packed.
 *
 * <p>Payload: {@code int nnz}, {@code bool csr}, the packed structure (length-prefixed bytes), the nnz values.
 */
public record SparseTensor(long[] shape, int[] positions, float[] values) implements EncodedTensor {
    public static final String KIND = "sparse";

    public SparseTensor {
        if (positions.length != values.length) {
            throw new IllegalArgumentException(positions.length + " positions but " + values.length + " values");
        }
        long n = FloatIo.elements(shape);
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || positions[i] >= n || (i > 0 && positions[i] <= positions[i - 1])) {
                throw new IllegalArgumentException("positions must be increasing and inside the tensor");
            }
        }
    }

    /** Keeps the non-zero elements of {@code dense}. */
    public static SparseTensor ofDense(long[] shape, float[] dense) {
        int nnz = 0;
        for (float v : dense) {
            if (v != 0f) {
                nnz++;
            }
        }
        int[] pos = new int[nnz];
        float[] val = new float[nnz];
        int j = 0;
        for (int i = 0; i < dense.length; i++) {
            if (dense[i] != 0f) {
                pos[j] = i;
                val[j++] = dense[i];
            }
        }
        return new SparseTensor(shape, pos, val);
    }

    @Override
    public String kind() {
        return KIND;
    }

    long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    long cols() {
        long n = FloatIo.elements(shape);
        return rows() == 0 ? 0 : n / rows();
    }

    /** Bits of the bitmap form. */
    public long bitmapBits() {
        return FloatIo.elements(shape);
    }

    /** Bits of the CSR form. */
    public long csrBits() {
        return (rows() + 1) * BitPacking.bitsFor(positions.length) + (long) positions.length * BitPacking.bitsFor(Math.max(0, cols() - 1));
    }

    public boolean usesCsr() {
        return csrBits() < bitmapBits();
    }

    @Override
    public StorageBits bits() {
        return new StorageBits(0, 0, Math.min(bitmapBits(), csrBits()), 32L * values.length);
    }

    @Override
    public float[] decode() {
        float[] out = new float[Math.toIntExact(FloatIo.elements(shape))];
        for (int i = 0; i < positions.length; i++) {
            out[positions[i]] = values[i];
        }
        return out;
    }

    @Override
    public void writePayload(DataOutputStream out) throws IOException {
        out.writeInt(positions.length);
        boolean csr = usesCsr();
        out.writeBoolean(csr);
        if (csr) {
            int rows = Math.toIntExact(rows());
            int cols = Math.toIntExact(cols());
            int[] ptr = new int[rows + 1];
            int[] col = new int[positions.length];
            for (int i = 0; i < positions.length; i++) {
                ptr[positions[i] / cols + 1]++;
                col[i] = positions[i] % cols;
            }
            for (int r = 0; r < rows; r++) {
                ptr[r + 1] += ptr[r];
            }
            FloatIo.writeBytes(out, BitPacking.pack(ptr, BitPacking.bitsFor(positions.length)));
            FloatIo.writeBytes(out, BitPacking.pack(col, BitPacking.bitsFor(Math.max(0, cols - 1))));
        } else {
            byte[] bitmap = new byte[BitPacking.packedBytes(bitmapBits(), 1)];
            for (int p : positions) {
                bitmap[p >>> 3] |= (byte) (1 << (p & 7));
            }
            FloatIo.writeBytes(out, bitmap);
        }
        FloatIo.writeFloats(out, values);
    }

    static SparseTensor read(long[] shape, DataInputStream in, Map<String, float[]> shared) throws IOException {
        int nnz = in.readInt();
        boolean csr = in.readBoolean();
        int n = Math.toIntExact(FloatIo.elements(shape));
        int[] pos = new int[nnz];
        if (csr) {
            int rows = Math.toIntExact(shape.length == 0 ? 1 : shape[0]);
            int cols = rows == 0 ? 0 : n / rows;
            int[] ptr = BitPacking.unpack(FloatIo.readBytes(in), rows + 1, BitPacking.bitsFor(nnz));
            int[] col = BitPacking.unpack(FloatIo.readBytes(in), nnz, BitPacking.bitsFor(Math.max(0, cols - 1)));
            for (int r = 0; r < rows; r++) {
                for (int i = ptr[r]; i < ptr[r + 1]; i++) {
                    pos[i] = r * cols + col[i];
                }
            }
        } else {
            byte[] bitmap = FloatIo.readBytes(in);
            int j = 0;
            for (int p = 0; p < n; p++) {
                if ((bitmap[p >>> 3] >>> (p & 7) & 1) != 0) {
                    if (j == nnz) {
                        throw new IOException("bitmap has more than " + nnz + " bits set");
                    }
                    pos[j++] = p;
                }
            }
            if (j != nnz) {
                throw new IOException("bitmap has " + j + " bits set, expected " + nnz);
            }
        }
        return new SparseTensor(shape, pos, FloatIo.readFloats(in, nnz));
    }
}
