package org.mtcompress.compress.embedding;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignedBitPackingTest {

    @Test
    void roundTripsEveryBitWidthAndOddLengths() {
        Random rnd = new Random(11);
        for (int bits = 1; bits <= 8; bits++) {
            int lo = SignedBitPacking.minValue(bits);
            int hi = SignedBitPacking.maxValue(bits);
            for (int n : new int[]{0, 1, 2, 3, 5, 7, 9, 13, 31, 33, 101, 1001}) {
                int[] q = new int[n];
                for (int i = 0; i < n; i++) {
                    q[i] = lo + rnd.nextInt(hi - lo + 1);
                }
                if (n >= 2) { // both extremes present
                    q[0] = lo;
                    q[n - 1] = hi;
                }
                byte[] packed = SignedBitPacking.pack(q, bits);
                assertEquals((n * bits + 7) / 8, packed.length, bits + " bits, " + n + " values");
                assertArrayEquals(q, SignedBitPacking.unpack(packed, bits, n), bits + " bits, " + n + " values");
            }
        }
    }

    @Test
    void packsAtAnOffsetWithoutTouchingNeighbours() {
        for (int bits = 1; bits <= 8; bits++) {
            int[] q = {SignedBitPacking.minValue(bits), 0, SignedBitPacking.maxValue(bits), -1, 0};
            int bytes = SignedBitPacking.packedBytes(q.length, bits);
            byte[] buf = new byte[bytes + 4];
            buf[0] = (byte) 0xAB;
            buf[bytes + 3] = (byte) 0xCD;
            SignedBitPacking.pack(q, 0, q.length, bits, buf, 2);
            int[] back = new int[q.length];
            SignedBitPacking.unpack(buf, 2, bits, q.length, back, 0);
            assertArrayEquals(q, back);
            assertEquals((byte) 0xAB, buf[0]);
            assertEquals((byte) 0xCD, buf[bytes + 3]);
        }
    }

    @Test
    void fourBitLayoutIsLowNibbleFirstInOffsetBinary() {
        // q = -7 -> code 1 (low nibble), q = 6 -> code 14 (high nibble); q = -8 -> code 0, q = 7 -> code 15
        assertArrayEquals(new byte[]{(byte) 0xE1, (byte) 0xF0}, SignedBitPacking.pack(new int[]{-7, 6, -8, 7}, 4));
        // 3 bits: codes 1, 2, 7 -> bits 001 | 010 | 111 from the low end = 0b1_1101_0001 -> 0xD1, 0x01
        assertArrayEquals(new byte[]{(byte) 0xD1, 0x01}, SignedBitPacking.pack(new int[]{-3, -2, 3}, 3));
    }

    @Test
    void rejectsValuesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> SignedBitPacking.pack(new int[]{8}, 4));
        assertThrows(IllegalArgumentException.class, () -> SignedBitPacking.pack(new int[]{-9}, 4));
        assertThrows(IllegalArgumentException.class, () -> SignedBitPacking.pack(new int[]{0}, 9));
        assertThrows(IllegalArgumentException.class, () -> SignedBitPacking.unpack(new byte[1], 4, 3));
    }
}
