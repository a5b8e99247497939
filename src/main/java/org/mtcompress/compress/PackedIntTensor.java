package org.mtcompress.compress;

import org.mtcompress.compress.embedding.PackedIntTable;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * A tensor stored as group-wise symmetric intN codes with float32 scales ({@link PackedIntTable}): index bits are
 * the packed codes (each row padded to a whole byte), table bits the scales. Shape {@code [rows, cols]}, or any
 * shape seen as {@code [shape[0], rest]}. Payload: {@link PackedIntTable#writeTo}.
 */
public record PackedIntTensor(long[] shape, PackedIntTable table) implements EncodedTensor {
    public static final String KIND = "packed_int";

    public PackedIntTensor {
        if (FloatIo.elements(shape) != (long) table.rows() * table.cols()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not match a table of "
                    + table.rows() + " x " + table.cols());
        }
        shape = shape.clone();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public float[] decode() {
        return table.dequantize();
    }

    @Override
    public StorageBits bits() {
        return new StorageBits(table.packedBits(), table.scaleBits(), 0, 0);
    }

    @Override
    public void writePayload(DataOutputStream out) throws IOException {
        table.writeTo(out);
    }

    static PackedIntTensor read(long[] shape, DataInputStream in, Map<String, float[]> shared) throws IOException {
        return new PackedIntTensor(shape, PackedIntTable.readFrom(in));
    }
}
