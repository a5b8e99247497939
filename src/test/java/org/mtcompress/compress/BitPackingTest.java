package org.mtcompress.compress;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BitPackingTest {
    @Test
    void roundTripsEveryWidthAndOddLengths() {
        Random rnd = new Random(1);
        for (int bits = 1; bits <= 32; bits++) {
            for (int n : new int[] {0, 1, 7, 13, 1001}) {
                int[] codes = new int[n];
                for (int i = 0; i < n; i++) {
                    codes[i] = (int) (rnd.nextLong() & ((1L << bits) - 1));
                }
                byte[] packed = BitPacking.pack(codes, bits);
                assertEquals((n * (long) bits + 7) / 8, packed.length);
                assertArrayEquals(codes, BitPacking.unpack(packed, n, bits), "bits=" + bits + " n=" + n);
            }
        }
    }

    @Test
    void layoutIsLittleEndianBitStream() {
        assertArrayEquals(new byte[] {(byte) 0b1110_0100}, BitPacking.pack(new int[] {0, 1, 2, 3}, 2));
        assertArrayEquals(new byte[] {0x21, 0x03}, BitPacking.pack(new int[] {1, 2, 3}, 4));
    }

    @Test
    void codeTooWideIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> BitPacking.pack(new int[] {4}, 2));
    }
}
