package org.mtcompress.train;

import org.junit.jupiter.api.Test;
import org.mtcompress.config.TrainConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AdamStateTest {
    private static final TrainConfig CFG = TrainConfig.quick(1e-2, 10, 0);

    /** The fused loop against Adam written out in double precision, over three steps with clipping scales. */
    @Test
    void matchesAdamWrittenOutInDoublePrecision() {
        Random r = new Random(7);
        float[] w0 = new float[37];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = (float) r.nextGaussian();
        }
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put("a", Nd4j.create(w0.clone(), new long[]{37}, 'c'));
        double[] w = new double[37], m = new double[37], v = new double[37];
        for (int i = 0; i < 37; i++) {
            w[i] = w0[i];
        }
        AdamState adam = new AdamState();
        double[] scales = {1.0, 0.5, 0.25};
        for (int step = 1; step <= 3; step++) {
            float[] g = new float[37];
            for (int i = 0; i < 37; i++) {
                g[i] = (float) r.nextGaussian();
            }
            double lr = CFG.lrAt(step);
            adam.apply(params, Map.of("a", Nd4j.create(g, new long[]{37}, 'c')), lr, CFG, step, scales[step - 1]);
            double c1 = 1 - Math.pow(CFG.beta1(), step), c2 = 1 - Math.pow(CFG.beta2(), step);
            for (int i = 0; i < 37; i++) {
                double gi = g[i] * scales[step - 1];
                m[i] = CFG.beta1() * m[i] + (1 - CFG.beta1()) * gi;
                v[i] = CFG.beta2() * v[i] + (1 - CFG.beta2()) * gi * gi;
                w[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + CFG.eps());
            }
        }
        float[] got = params.get("a").data().asFloat();
        for (int i = 0; i < 37; i++) {
            assertEquals(w[i], got[i], 1e-5, "weight " + i);
            assertEquals(w0[i] - w[i], w0[i] - got[i], 1e-5);
        }
    }

    /** A view (a row of a larger array) is updated in place without touching its neighbours. */
    @Test
    void updatesViewsInPlaceAndRoundTripsItsState() {
        INDArray big = Nd4j.create(new float[]{1, 2, 3, 4, 5, 6}, new long[]{2, 3}, 'c');
        INDArray row = big.getRow(1);
        AdamState adam = new AdamState();
        adam.apply(Map.of("r", row), Map.of("r", Nd4j.create(new float[]{1, -1, 0}, new long[]{3}, 'c')), 0.1, CFG, 1);
        float[] all = big.dup('c').data().asFloat();
        assertArrayEquals(new float[]{1, 2, 3}, new float[]{all[0], all[1], all[2]});
        assertEquals(4 - 0.1, all[3], 1e-5);
        assertEquals(5 + 0.1, all[4], 1e-5);
        assertEquals(6, all[5], 1e-6);

        AdamState copy = AdamState.restore(adam.export());
        INDArray p1 = Nd4j.create(new float[]{0, 0, 0}, new long[]{3}, 'c'), p2 = p1.dup();
        INDArray g = Nd4j.create(new float[]{0.3f, 0.2f, -0.1f}, new long[]{3}, 'c');
        adam.apply(Map.of("r", p1), Map.of("r", g), 0.1, CFG, 2);
        copy.apply(Map.of("r", p2), Map.of("r", g), 0.1, CFG, 2);
        assertArrayEquals(p1.data().asFloat(), p2.data().asFloat());
    }
}
