package org.mtcompress.infer;

import org.mtcompress.compress.embedding.PackedIntTable;

/**
 * Group-wise symmetric intN rows with fp32 scales ({@link PackedIntTable}), read through its fused gather +
 * dequantize lookup: the embedding lookup of token ids, and (tied output projection) the logits, whose product
 * dequantizes a block of rows at a time and never builds a dense copy of the table.
 */
public final class PackedIntWeights extends RowBlockWeights {
    private final PackedIntTable table;

    public PackedIntWeights(PackedIntTable table) {
        super(table.rows(), table.cols());
        this.table = table;
    }

    @Override
    public void readRows(int from, int count, float[] out, int outOffset) {
        table.dequantizeRows(from, count, out, outOffset);
    }

    @Override
    public void gather(int[] ids, int from, int count, float[] out, int outOffset) {
        table.gather(ids, from, count, out, outOffset);
    }

    @Override
    public long residentBytes() {
        return table.memoryBytes();
    }

    @Override
    public String form() {
        return "int" + table.bits() + "-g" + table.groupSize();
    }
}
