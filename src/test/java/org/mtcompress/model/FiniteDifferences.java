package org.mtcompress.model;

import org.mtcompress.data.Batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Gradient checks by central finite differences of the evaluation loss (no dropout). */
final class FiniteDifferences {
    private static final double H = 1e-2;

    private FiniteDifferences() {
    }

    /**
     * Asserts that {@code analytic[c]}, the gradient of parameter {@code name} at flat index {@code c}, matches
     * (loss(w + h) − loss(w − h)) / 2h within 2e-3 + 5 %; the parameter is restored afterwards.
     */
    static void assertGradientAt(Transformer m, Batch b, double labelSmoothing, String name, float[] analytic, int c) {
        NamedParameters p = m.parameters();
        float[] w = p.read(name);
        float orig = w[c];
        w[c] = (float) (orig + H);
        p.write(name, w);
        double up = m.evalLoss(b, labelSmoothing)[0];
        w[c] = (float) (orig - H);
        p.write(name, w);
        double down = m.evalLoss(b, labelSmoothing)[0];
        w[c] = orig;
        p.write(name, w);
        double numeric = (up - down) / (2 * H);
        assertEquals(numeric, analytic[c], 2e-3 + 0.05 * Math.abs(numeric),
                name + "[" + c + "]: analytic " + analytic[c] + " vs numeric " + numeric);
    }
}
