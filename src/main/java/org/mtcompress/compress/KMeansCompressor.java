package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * k-means weight sharing (Han et al., Deep Compression): each codebook (per tensor, per layer or global) holds
 * at most 2^bits fp32 centroids found by {@link KMeans1D}; every weight is replaced by its nearest centroid.
 * During retraining the assignments stay fixed and each centroid moves by the sum of its members' updates
 * (the optimizer's update = weights now − weights written after the previous step), which for SGD is the
 * paper's summed gradient times the learning rate.
 */
public final class KMeansCompressor implements Compressor {
    public static final String NAME = "kmeans";
    private static final Pattern LAYER = Pattern.compile("^(.*?\\.layers\\.\\d+)\\..*");

    private final KMeansSpec spec;

    public KMeansCompressor(KMeansSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The codebook key of {@code name} under {@code sharing}. */
    static String groupKey(CodebookSharing sharing, String name) {
        return switch (sharing) {
            case TENSOR -> name;
            case GLOBAL -> "global";
            case LAYER -> {
                Matcher m = LAYER.matcher(name);
                yield m.matches() ? m.group(1) : name;
            }
        };
    }

    @Override
    public boolean keepsZeros() {
        return true;
    }

    @Override
    public CompressionState compress(NamedParameters params, List<String> selected) {
        return compress(params, selected, Map.of());
    }

    /**
     * Clusters only the kept weights of a pruned tensor: its codebook is fitted to them, its pruned positions
     * have no index, stay exactly 0 and are left out of the centroid updates during retraining.
     */
    @Override
    public CompressionState compress(NamedParameters params, List<String> selected, Map<String, boolean[]> pruned) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String name : selected) {
            groups.computeIfAbsent(groupKey(spec.kmeans().sharing(), name), g -> new ArrayList<>()).add(name);
        }
        State state = new State(spec.bits());
        int k = 1 << spec.bits();
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            List<float[]> values = new ArrayList<>();
            int total = 0;
            for (String name : g.getValue()) {
                float[] v = params.read(name);
                values.add(v);
                total += v.length - prunedCount(pruned.get(name));
            }
            float[] all = new float[total];
            int off = 0;
            for (int t = 0; t < values.size(); t++) {
                float[] v = values.get(t);
                boolean[] mask = pruned.get(g.getValue().get(t));
                for (int i = 0; i < v.length; i++) {
                    if (mask == null || !mask[i]) {
                        all[off++] = v[i];
                    }
                }
            }
            float[] codebook = KMeans1D.fit(all, k, spec.kmeans(), spec.seed());
            boolean shared = g.getValue().size() > 1;
            int gi = state.addGroup(shared ? g.getKey() : null, codebook);
            for (int t = 0; t < g.getValue().size(); t++) {
                String name = g.getValue().get(t);
                boolean[] mask = pruned.get(name);
                state.addTensor(name, params.shape(name), gi, KMeans1D.assign(values.get(t), codebook),
                        mask == null ? null : mask.clone());
            }
        }
        state.writeAll(params);
        return state;
    }

    static int prunedCount(boolean[] mask) {
        int n = 0;
        if (mask != null) {
            for (boolean b : mask) {
                if (b) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Codebooks, fixed assignments, the values last written (to recover each step's update) and, for a tensor an
     * earlier stage pruned, its mask (true = pruned: written as 0, no index).
     */
    static final class State implements CompressionState {
        private final int bits;
        private final List<String> sharedKeys = new ArrayList<>();
        private final List<float[]> codebooks = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<long[]> shapes = new ArrayList<>();
        private final List<Integer> groupOf = new ArrayList<>();
        private final List<int[]> codes = new ArrayList<>();
        private final List<float[]> written = new ArrayList<>();
        private final List<boolean[]> masks = new ArrayList<>();

        State(int bits) {
            this.bits = bits;
        }

        int addGroup(String sharedKey, float[] codebook) {
            sharedKeys.add(sharedKey);
            codebooks.add(codebook.clone());
            return codebooks.size() - 1;
        }

        void addTensor(String name, long[] shape, int group, int[] assignment, boolean[] mask) {
            names.add(name);
            masks.add(mask);
            shapes.add(shape);
            groupOf.add(group);
            codes.add(assignment);
            written.add(new float[assignment.length]);
        }

        void writeAll(NamedParameters params) {
            for (int t = 0; t < names.size(); t++) {
                float[] cb = codebooks.get(groupOf.get(t));
                int[] c = codes.get(t);
                float[] out = written.get(t);
                boolean[] mask = masks.get(t);
                for (int i = 0; i < c.length; i++) {
                    out[i] = mask != null && mask[i] ? 0f : cb[c[i]];
                }
                params.write(names.get(t), out);
            }
        }

        /**
         * Moves each centroid by the mean update of its weights, then writes the codebook values back: with the
         * assignments fixed, the mean is the least-squares projection of the updated weights onto the codebook.
         * (The sum of the updates — Deep Compression's centroid gradient — is only right for plain SGD; with Adam
         * every weight moves by about the learning rate, and the sum over a cluster of 10^4–10^5 weights made
         * retraining diverge at 4 bits and below.)
         */
        @Override
        public void afterStep(NamedParameters params, long step) {
            List<double[]> delta = new ArrayList<>();
            List<long[]> count = new ArrayList<>();
            for (float[] cb : codebooks) {
                delta.add(new double[cb.length]);
                count.add(new long[cb.length]);
            }
            for (int t = 0; t < names.size(); t++) {
                float[] now = params.read(names.get(t));
                float[] last = written.get(t);
                int[] c = codes.get(t);
                double[] d = delta.get(groupOf.get(t));
                long[] n = count.get(groupOf.get(t));
                boolean[] mask = masks.get(t);
                for (int i = 0; i < c.length; i++) {
                    if (mask != null && mask[i]) {
                        continue;
                    }
                    d[c[i]] += (double) now[i] - last[i];
                    n[c[i]]++;
                }
            }
            for (int g = 0; g < codebooks.size(); g++) {
                float[] cb = codebooks.get(g);
                double[] d = delta.get(g);
                long[] n = count.get(g);
                for (int j = 0; j < cb.length; j++) {
                    if (n[j] > 0) {
                        cb[j] = (float) (cb[j] + d[j] / n[j]);
                    }
                }
            }
            writeAll(params);
        }

        @Override
        public List<String> parameters() {
            return List.copyOf(names);
        }

        /** The current codebook of {@code name} (a copy). */
        float[] codebook(String name) {
            return codebooks.get(groupOf.get(names.indexOf(name))).clone();
        }

        @Override
        public Encoding encode(NamedParameters params) {
            Map<String, EncodedTensor> tensors = new LinkedHashMap<>();
            Map<String, float[]> shared = new LinkedHashMap<>();
            for (int t = 0; t < names.size(); t++) {
                int g = groupOf.get(t);
                String key = sharedKeys.get(g);
                float[] cb = codebooks.get(g).clone();
                if (key != null) {
                    shared.putIfAbsent(key, cb);
                    cb = shared.get(key);
                }
                boolean[] mask = masks.get(t);
                if (mask == null) {
                    tensors.put(names.get(t), new CodebookTensor(shapes.get(t), bits, cb, key, codes.get(t).clone()));
                } else {
                    int[] c = codes.get(t);
                    int kept = c.length - prunedCount(mask);
                    int[] pos = new int[kept];
                    int[] keptCodes = new int[kept];
                    for (int i = 0, j = 0; i < c.length; i++) {
                        if (!mask[i]) {
                            pos[j] = i;
                            keptCodes[j++] = c[i];
                        }
                    }
                    tensors.put(names.get(t), new MaskedCodebookTensor(shapes.get(t), bits, cb, key, pos, keptCodes));
                }
            }
            return new Encoding(tensors, shared);
        }
    }
}
