package org.mtcompress.compress;

import org.mtcompress.compress.embedding.PackedIntTable;
import org.mtcompress.model.NamedParameters;

import java.util.ArrayList;
import java.util.List;

/**
 * Group-wise symmetric intN, weight-only and data-free, as llm-compressor / compressed-tensors quantizes weights
 * (W8 channel, W4 group 64/128): see {@link PackedIntTable} for the exact arithmetic. A tensor of shape
 * {@code [rows, ...]} is seen as {@code [rows, cols]} with groups along each row, so an embedding table gets one
 * scale per token (channel) or per {@code group_size} dimensions of a token (group); a group size larger than a
 * row becomes one group per row.
 *
 * <p>Retraining uses a straight-through estimator: the state keeps latent full-precision weights, adds the
 * optimizer's update (weights now minus weights written after the previous step) to them, and writes back
 * their re-quantization (scales recomputed, still data-free).
 */
public final class IntNCompressor implements Compressor {
    public static final String NAME = "intn";

    private final IntNSpec spec;

    public IntNCompressor(IntNSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompressionState compress(NamedParameters params, List<String> selected) {
        State state = new State();
        state.addEach(params, selected, (name, shape, values) -> {
            int rows = shape.length == 0 ? 1 : Math.toIntExact(shape[0]);
            int cols = Math.toIntExact(FloatIo.elements(shape) / Math.max(rows, 1));
            int group = spec.quant().strategy() == QuantStrategy.CHANNEL ? cols : Math.min(spec.quant().groupSize(), cols);
            state.add(name, shape, rows, cols, group, values);
        });
        state.requantizeAndWrite(params);
        return state;
    }

    private final class State extends LatentWeightsState {
        private final List<int[]> dims = new ArrayList<>(); // rows, cols, group size
        private final List<PackedIntTable> tables = new ArrayList<>();

        void add(String name, long[] shape, int rows, int cols, int group, float[] values) {
            addTensor(name, shape, values, null);
            dims.add(new int[]{rows, cols, group});
            tables.add(null);
        }

        void requantizeAndWrite(NamedParameters params) {
            for (int t = 0; t < names.size(); t++) {
                int[] d = dims.get(t);
                PackedIntTable table = PackedIntTable.quantize(latent.get(t), d[0], d[1], spec.bits(), d[2]);
                tables.set(t, table);
                write(params, t, table.dequantize());
            }
        }

        @Override
        public void afterStep(NamedParameters params, long step) {
            for (int t = 0; t < names.size(); t++) {
                addUpdate(params, t);
            }
            requantizeAndWrite(params);
        }

        @Override
        public Encoding encode(NamedParameters params) {
            return encodeEach(t -> new PackedIntTensor(shapes.get(t), tables.get(t)));
        }
    }
}
