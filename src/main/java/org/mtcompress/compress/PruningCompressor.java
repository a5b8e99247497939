package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Iterative magnitude pruning (Han et al. 2015; See et al. 2016 for NMT): at each point of the
 * {@link PruningSchedule} the smallest-magnitude weights are set to zero until exactly
 * {@code round(sparsity * n)} are pruned, per tensor or with one global threshold; ties are broken by position
 * so the count is exact. Pruned weights stay pruned: the masks are re-applied after every optimizer step.
 */
public final class PruningCompressor implements Compressor {
    public static final String NAME = "prune";

    private final PruningSettings settings;
    private final PruningSchedule schedule;

    public PruningCompressor(PruningSpec spec) {
        this.settings = spec.pruning();
        this.schedule = PruningSchedule.of(spec.pruning());
    }

    @Override
    public String name() {
        return NAME;
    }

    public PruningSchedule schedule() {
        return schedule;
    }

    @Override
    public boolean leavesMask() {
        return true;
    }

    @Override
    public CompressionState compress(NamedParameters params, List<String> selected) {
        State state = new State(settings.threshold(), schedule);
        for (String name : selected) {
            state.names.add(name);
            state.shapes.add(params.shape(name));
            state.masks.add(new boolean[params.read(name).length]);
        }
        state.prune(params, schedule.at(0));
        return state;
    }

    /**
     * Marks in {@code pruned} the {@code count} smallest |w| over all arrays of {@code w}, ties broken by
     * (array, position). Already pruned weights are kept pruned only through their value 0 being smallest.
     */
    static void selectSmallest(List<float[]> w, List<boolean[]> pruned, long count) {
        long total = 0;
        for (float[] v : w) {
            total += v.length;
        }
        if (count <= 0) {
            for (boolean[] p : pruned) {
                java.util.Arrays.fill(p, false);
            }
            return;
        }
        float[] mags = new float[Math.toIntExact(total)];
        int off = 0;
        for (float[] v : w) {
            for (float x : v) {
                mags[off++] = Math.abs(x);
            }
        }
        float[] sorted = FloatSort.sortedCopy(mags);
        float threshold = sorted[(int) Math.min(total, count) - 1];
        long below = 0;
        for (float m : mags) {
            if (m < threshold) {
                below++;
            }
        }
        long tiesToPrune = count - below;
        for (int t = 0; t < w.size(); t++) {
            float[] v = w.get(t);
            boolean[] p = pruned.get(t);
            for (int i = 0; i < v.length; i++) {
                float m = Math.abs(v[i]);
                if (m < threshold) {
                    p[i] = true;
                } else if (m == threshold && tiesToPrune > 0) {
                    p[i] = true;
                    tiesToPrune--;
                } else {
                    p[i] = false;
                }
            }
        }
    }

    private static final class State implements CompressionState {
        private final PruningThreshold mode;
        private final PruningSchedule schedule;
        private final List<String> names = new ArrayList<>();
        private final List<long[]> shapes = new ArrayList<>();
        private final List<boolean[]> masks = new ArrayList<>();

        State(PruningThreshold mode, PruningSchedule schedule) {
            this.mode = mode;
            this.schedule = schedule;
        }

        void prune(NamedParameters params, double sparsity) {
            List<float[]> values = new ArrayList<>();
            for (String name : names) {
                values.add(params.read(name));
            }
            if (mode == PruningThreshold.GLOBAL) {
                long total = values.stream().mapToLong(v -> v.length).sum();
                selectSmallest(values, masks, Math.round(sparsity * total));
            } else {
                for (int t = 0; t < names.size(); t++) {
                    selectSmallest(List.of(values.get(t)), List.of(masks.get(t)),
                            Math.round(sparsity * values.get(t).length));
                }
            }
            apply(params, values);
        }

        void apply(NamedParameters params, List<float[]> values) {
            for (int t = 0; t < names.size(); t++) {
                float[] v = values.get(t);
                boolean[] m = masks.get(t);
                for (int i = 0; i < v.length; i++) {
                    if (m[i]) {
                        v[i] = 0f;
                    }
                }
                params.write(names.get(t), v);
            }
        }

        @Override
        public void afterStep(NamedParameters params, long step) {
            double s = schedule.at(step);
            if (s >= 0) {
                prune(params, s);
            } else {
                List<float[]> values = new ArrayList<>();
                for (String name : names) {
                    values.add(params.read(name));
                }
                apply(params, values);
            }
        }

        @Override
        public List<String> parameters() {
            return List.copyOf(names);
        }

        @Override
        public Map<String, boolean[]> pruned() {
            Map<String, boolean[]> out = new LinkedHashMap<>();
            for (int t = 0; t < names.size(); t++) {
                out.put(names.get(t), masks.get(t).clone());
            }
            return out;
        }

        @Override
        public Encoding encode(NamedParameters params) {
            Map<String, EncodedTensor> out = new LinkedHashMap<>();
            for (int t = 0; t < names.size(); t++) {
                float[] v = params.read(names.get(t));
                boolean[] m = masks.get(t);
                int kept = 0;
                for (boolean b : m) {
                    if (!b) {
                        kept++;
                    }
                }
                int[] pos = new int[kept];
                float[] val = new float[kept];
                int j = 0;
                for (int i = 0; i < v.length; i++) {
                    if (!m[i]) {
                        pos[j] = i;
                        val[j++] = v[i];
                    }
                }
                out.put(names.get(t), new SparseTensor(shapes.get(t), pos, val));
            }
            return Encoding.of(out);
        }
    }
}
