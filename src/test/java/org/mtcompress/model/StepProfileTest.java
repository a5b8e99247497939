package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The floating-point work StepProfile counts for each kind of matrix product, from array shapes alone. */
class StepProfileTest {
    private static INDArray a(long... shape) {
        return Nd4j.create(DataType.FLOAT, shape);
    }

    @Test
    void matrixProductWorkIsTwoMnkPerBatchWhateverTheTransposes() {
        // [B=3, H=4] batches of [5, 6] x [6, 7]
        assertEquals(2.0 * 12 * 5 * 6 * 7, StepProfile.flops("matmul", List.of(a(3, 4, 5, 6), a(3, 4, 6, 7)),
                new INDArray[]{a(3, 4, 5, 7)}), 1e-6);
        // B given transposed: [7, 6]
        assertEquals(2.0 * 5 * 6 * 7, StepProfile.flops("matmul", List.of(a(5, 6), a(7, 6)), new INDArray[]{a(5, 7)}), 1e-6);
        // x [N=10, in=6] times W [out=4, in=6] transposed, plus bias
        assertEquals(2.0 * 10 * 6 * 4, StepProfile.flops("xw_plus_b", List.of(a(10, 6), a(4, 6), a(4)),
                new INDArray[]{a(10, 4)}), 1e-6);
    }

    @Test
    void backwardOpsCountBothProductsAndOtherOpsNothing() {
        assertEquals(4.0 * 10 * 6 * 4, StepProfile.flops("xw_plus_b_bp", List.of(a(10, 6), a(4, 6), a(4), a(10, 4)),
                new INDArray[]{a(10, 6), a(4, 6), a(4)}), 1e-6);
        assertEquals(4.0 * 12 * 5 * 6 * 7, StepProfile.flops("matmul_bp", List.of(a(3, 4, 5, 6), a(3, 4, 6, 7),
                a(3, 4, 5, 7)), new INDArray[]{a(3, 4, 5, 6), a(3, 4, 6, 7)}), 1e-6);
        assertEquals(0, StepProfile.flops("softmax", List.of(a(5, 6)), new INDArray[]{a(5, 6)}));
    }
}
