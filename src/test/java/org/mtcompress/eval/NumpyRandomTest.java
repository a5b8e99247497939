package org.mtcompress.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * NumPy's draws reproduced bit for bit. Expected values printed by NumPy 2.4.6, e.g.
 * {@code np.random.default_rng(12345).bit_generator.random_raw(3)} and
 * {@code np.random.default_rng(12345).choice(3003, size=(1000, 3003))}.
 */
class NumpyRandomTest {

    @Test
    void rawOutputsMatchNumpy() {
        NumpyRandom r = new NumpyRandom(12345);
        assertEquals("4193609425186963869", Long.toUnsignedString(r.nextLong()));
        assertEquals("5843160025838961886", Long.toUnsignedString(r.nextLong()));
        assertEquals("14708796524633321433", Long.toUnsignedString(r.nextLong()));
        NumpyRandom max = new NumpyRandom(4294967295L);
        assertEquals("4647538520743280031", Long.toUnsignedString(max.nextLong()));
        assertEquals("4041050679407036418", Long.toUnsignedString(max.nextLong()));
    }

    @Test
    void seedSequenceStateMatchesNumpy() {
        // np.random.SeedSequence(12345).generate_state(4, np.uint64)
        long[] v = NumpyRandom.seedSequenceState(12345, 4);
        assertArrayEquals(new long[] {0xb5ae6482a03d837cL, 0xbbe2996ffa1f7a2fL, 0x64e39a9f37158f94L,
                0x3ebb0f96a013fd73L}, v);
    }

    @Test
    void choiceMatchesNumpy() {
        int[] first = new int[10];
        new NumpyRandom(12345).choice(3003, first, 10);
        assertArrayEquals(new int[] {2099, 682, 2368, 951, 613, 2394, 1929, 2030, 2968, 1174}, first);

        // default_rng(7).choice(5, size=12), then two raw outputs: the 32-bit half left over is discarded
        NumpyRandom r7 = new NumpyRandom(7);
        int[] small = new int[12];
        r7.choice(5, small, 12);
        assertArrayEquals(new int[] {4, 3, 3, 4, 2, 3, 4, 1, 0, 1, 1, 4}, small);
        assertEquals("97127725791292528", Long.toUnsignedString(r7.nextLong()));

        int[] big = new int[2];
        new NumpyRandom(0).choice(Integer.MAX_VALUE, big, 2);
        assertArrayEquals(new int[] {1826701614, 1367864806}, big);

        // the whole 1000 x 3003 bootstrap index matrix of sacreBLEU's paired test on newstest2014
        int[] all = new int[1000 * 3003];
        new NumpyRandom(12345).choice(3003, all, all.length);
        long sum = 0;
        long weighted = 0;
        for (int i = 0; i < all.length; i++) {
            sum += all[i];
            weighted = (weighted + (long) all[i] * (i % 3003)) % 1000000007L;
        }
        assertEquals(4506190069L, sum);
        assertEquals(656916326L, weighted);
        assertArrayEquals(new int[] {385, 810, 381, 420, 1245}, java.util.Arrays.copyOfRange(all, all.length - 5, all.length));
    }

    @Test
    void booleansMatchNumpy() {
        boolean[] b = new boolean[80];
        new NumpyRandom(12345).booleans(b, 80);
        StringBuilder sb = new StringBuilder();
        for (boolean x : b) {
            sb.append(x ? '1' : '0');
        }
        // np.random.default_rng(12345).integers(2, size=(2, 40), dtype=bool)
        assertEquals("1011100110000011111111110100110110110001"
                + "1000110101001100010111000111101100100011", sb.toString());

        boolean[] all = new boolean[10000 * 3003];
        new NumpyRandom(12345).booleans(all, all.length);
        int ones = 0;
        for (boolean x : all) {
            ones += x ? 1 : 0;
        }
        assertEquals(15011649, ones);
        int[] tail = {1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1,
                0, 0, 0, 1, 0, 0, 0, 0};
        for (int i = 0; i < 40; i++) {
            assertEquals(tail[i] == 1, all[all.length - 40 + i], "bit " + i);
        }
    }

    @Test
    void meanUsesNumpysPairwiseSummation() {
        // x = default_rng(1).random(1000).astype(float32) * float32(30); x.mean() in float32 and float64
        NumpyRandom r = new NumpyRandom(1);
        double[] x = new double[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble() * 30f;
        }
        assertEquals(15.084139823913574, Significance.mean(x, true), 0.0);
        assertEquals(15.084139342095703, Significance.mean(x, false), 0.0);
    }

    @Test
    void rejectsSeedsNumpyWouldSplitDifferently() {
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandom(-1));
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandom(1L << 32));
    }
}
