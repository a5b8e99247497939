package org.mtcompress.config;

/**
 * The resolved config of one run: what it is called, its root seed, and one section per component.
 * Sections are added here as components land (model, train, compress).
 */
@Doc("a run: name, root seed and one section per component")
public record RunConfig(
        @Doc("experiment name: runs are stored under results/runs/<experiment>/") @Default("default") String experiment,
        @Doc("root seed; every component derives its own seed from it") @Default("1") @Range(min = 0) long seed,
        @Doc("data section") DataConfig data,
        @Doc("model section: the Transformer's shape") ModelConfig model,
        @Doc("training section") TrainConfig train) {
}
