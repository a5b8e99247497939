package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrayPoolTest {

    @Test
    void reusesTheMemoryOfAReturnedArrayForTheSameTypeAndLength() {
        ArrayPool pool = new ArrayPool(1 << 20);
        INDArray a = pool.allocate(false, DataType.FLOAT, 4, 6);
        pool.release(a);
        INDArray b = pool.allocate(false, DataType.FLOAT, 3, 8);      // same length, other shape
        assertSame(a.data(), b.data());
        assertArrayEquals(new long[]{3, 8}, b.shape());
        assertEquals('c', b.ordering());
        INDArray c = pool.allocate(false, DataType.FLOAT, 3, 8);      // nothing left: fresh memory
        assertNotSame(b.data(), c.data());
        INDArray d = pool.allocate(false, DataType.DOUBLE, 24);       // other type: fresh memory
        assertNotSame(a.data(), d.data());
        assertEquals(1L, pool.counts().get("hits"));
    }

    @Test
    void takesEachArrayBackOncePerStepAndNeverAView() {
        ArrayPool pool = new ArrayPool(1 << 20);
        INDArray a = pool.allocate(false, DataType.FLOAT, 10);
        pool.release(a);
        pool.release(a);                                              // released twice (session and EagerRelease)
        assertEquals(40, pool.pooledBytes());
        INDArray whole = Nd4j.create(DataType.FLOAT, 4, 5);
        pool.release(whole.getRow(1));                                // a view: its buffer is not its own
        assertEquals(40, pool.pooledBytes());
        pool.endStep();
        INDArray b = pool.allocate(false, DataType.FLOAT, 10);
        INDArray c = pool.allocate(false, DataType.FLOAT, 10);
        assertNotSame(b.data(), c.data(), "one buffer was handed out twice");
    }

    @Test
    void freesTheOldestBuffersBeyondItsLimit() {
        ArrayPool pool = new ArrayPool(100);
        INDArray a = Nd4j.create(DataType.FLOAT, 20), b = Nd4j.create(DataType.FLOAT, 10);
        pool.release(a);                                              // 80 bytes
        pool.release(b);                                              // 120 > 100: a's buffer goes
        assertEquals(40, pool.pooledBytes());
        assertTrue(a.data().wasClosed());
    }
}
