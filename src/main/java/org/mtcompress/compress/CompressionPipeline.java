package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;
import org.mtcompress.train.Retrainer;

import java.util.List;

/**
 * One compression stage from start to end: resolve the scope, compress, optionally retrain with the
 * compressor's constraint after every step, then encode and account the size. Used by {@code mtc compress}
 * and by the experiment runner.
 */
public final class CompressionPipeline {
    /** What one stage produced. {@code encoding} and {@code report} describe the parameters after retraining. */
    public record Result(List<String> scope, CompressionState state, Encoding encoding, SizeReport report) {
    }

    private CompressionPipeline() {
    }

    /**
     * Compresses {@code params} in place according to {@code spec}.
     *
     * @param retrainer    the training loop, or null when {@code retrainSteps} is 0
     * @param retrainSteps optimizer steps of retraining after compression (0 for none)
     */
    public static Result run(NamedParameters params, CompressorSpec spec, CompressorRegistry registry,
                             Retrainer retrainer, long retrainSteps) {
        Compressor compressor = registry.create(spec);
        List<String> scope = Scope.resolve(params, spec.scope());
        CompressionState state = compressor.compress(params, scope);
        if (retrainSteps > 0) {
            if (retrainer == null) {
                throw new IllegalArgumentException("retraining for " + retrainSteps + " steps needs a retrainer");
            }
            retrainer.retrain(params, retrainSteps, state);
        }
        Encoding encoding = state.encode(params);
        return new Result(scope, state, encoding, SizeReport.of(params, encoding));
    }
}
