package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compressor {@code none}: keeps the selected tensors as they are (fp32, ratio 1). With retraining it is the
 * control row of a table: the original trained for the same extra steps as the compressed variants, which
 * separates what compression costs from what the extra steps add when the baseline has not converged.
 */
public final class NoCompression implements Compressor {
    public static final String NAME = "none";

    public NoCompression(NoCompressionSpec spec) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompressionState compress(NamedParameters params, List<String> selected) {
        List<String> names = List.copyOf(selected);
        return new CompressionState() {
            @Override
            public List<String> parameters() {
                return names;
            }

            @Override
            public Encoding encode(NamedParameters current) {
                Map<String, EncodedTensor> out = new LinkedHashMap<>();
                for (String n : names) {
                    out.put(n, new RawTensor(current.shape(n), current.read(n)));
                }
                return Encoding.of(out);
            }

            @Override
            public void afterStep(NamedParameters current, long step) {
                // no constraint to keep
            }
        };
    }
}
