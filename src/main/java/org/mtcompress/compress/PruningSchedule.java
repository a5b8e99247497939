package org.mtcompress.compress;

import java.util.ArrayList;
import java.util.List;

/**
 * When pruning tightens and to which sparsity, as data: a list of (step, sparsity) points. Round {@code r}
 * (0..R) happens after {@code r * steps_per_round} retraining steps with sparsity
 * {@code s0 + (s1 - s0) * r/R} (linear) or {@code s1 + (s0 - s1) * (1 - r/R)^3} (cubic, Zhu &amp; Gupta 2017:
 * prune fast while redundancy is high, slowly near the end).
 */
public record PruningSchedule(List<Point> points) {
    /** Prune to {@code sparsity} after {@code step} optimizer steps (step 0 = at compression time). */
    public record Point(long step, double sparsity) {
    }

    public PruningSchedule {
        points = List.copyOf(points);
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).step() <= points.get(i - 1).step()
                    || points.get(i).sparsity() < points.get(i - 1).sparsity()) {
                throw new IllegalArgumentException("pruning schedule must have increasing steps and non-decreasing sparsity");
            }
        }
    }

    public static PruningSchedule of(PruningSettings s) {
        List<Point> pts = new ArrayList<>();
        int r = s.rounds();
        for (int i = 0; i <= r; i++) {
            double f = r == 0 ? 0 : (double) i / r;
            double sp = s.cubic()
                    ? s.end() + (s.start() - s.end()) * Math.pow(1 - f, 3)
                    : s.start() + (s.end() - s.start()) * f;
            pts.add(new Point(i * s.stepsPerRound(), sp));
        }
        return new PruningSchedule(pts);
    }

    /** The sparsity to reach at exactly {@code step}, or -1 when the schedule has no point there. */
    public double at(long step) {
        for (Point p : points) {
            if (p.step() == step) {
                return p.sparsity();
            }
        }
        return -1;
    }

    /** The step of the last round: retraining should run at least this long to reach the final sparsity. */
    public long lastStep() {
        return points.isEmpty() ? 0 : points.get(points.size() - 1).step();
    }
}
