package org.mtcompress.compress.embedding;

import java.util.function.DoubleUnaryOperator;

/**
 * Golden-section search for the minimum of a function on an interval. It is exact for unimodal functions and
 * a good, cheap heuristic for the nearly unimodal error curves of quantization; it needs one function
 * evaluation per step and shrinks the bracket by 0.618 each time.
 */
public final class GoldenSection {
    private static final double INV_PHI = (Math.sqrt(5) - 1) / 2; // 0.618...

    private GoldenSection() {
    }

    /** The point found and its value, with the number of function evaluations spent. */
    public record Minimum(double x, double value, int evaluations) {
    }

    /**
     * Minimises {@code f} on {@code [lo, hi]} until the bracket is narrower than {@code tol}; returns the best
     * point evaluated inside the bracket.
     */
    public static Minimum minimize(DoubleUnaryOperator f, double lo, double hi, double tol) {
        if (!(hi >= lo) || !(tol > 0)) {
            throw new IllegalArgumentException("need lo <= hi and tol > 0, got [" + lo + ", " + hi + "], " + tol);
        }
        double a = lo;
        double b = hi;
        double c = b - INV_PHI * (b - a);
        double d = a + INV_PHI * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        int evals = 2;
        while (b - a > tol) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - INV_PHI * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + INV_PHI * (b - a);
                fd = f.applyAsDouble(d);
            }
            evals++;
        }
        return fc <= fd ? new Minimum(c, fc, evals) : new Minimum(d, fd, evals);
    }
}
