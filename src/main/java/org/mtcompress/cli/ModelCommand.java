package org.mtcompress.cli;

import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.RunConfig;
import org.mtcompress.model.ParamSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mtc model}: inspect the Transformer a config describes. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Inspect the Transformer of a config.",
        subcommands = {ModelCommand.Params.class},
        footer = {"", "Example:", "  ./mtc model params configs/model/tiny.yaml"})
public final class ModelCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** {@code mtc model params}: every parameter with shape, count and role, and totals by role. */
    @Command(name = "params", mixinStandardHelpOptions = true,
            description = "List the model's parameters (stable names, as compressor scopes select them): name, "
                    + "shape, count, role; then totals by role.",
            footer = {"", "Example:", "  ./mtc model params configs/model/small.yaml",
                    "  ./mtc model params configs/model/tiny.yaml model.tied_embeddings=false --vocab 16000"})
    public static final class Params implements Callable<Integer> {
        @Parameters(index = "0", description = "a config with a model section (a model or run config)")
        Path config;

        @Parameters(index = "1..*", arity = "0..*", description = "overrides key.path=value")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--vocab", description = "vocabulary size (default: the config's data.vocab_size)")
        Integer vocab;

        @Override
        public Integer call() {
            RunConfig rc = ConfigLoader.load(config, overrides, RunConfig.class).value();
            ModelConfig mc = rc.model();
            int v = vocab != null ? vocab : rc.data().vocabSize();
            Map<ParamSpec.Role, long[]> byRole = new EnumMap<>(ParamSpec.Role.class);
            long total = 0;
            System.out.printf("%-52s %-14s %12s  %s%n", "name", "shape", "count", "role");
            for (ParamSpec s : ParamSpec.all(mc, v)) {
                String role = s.role().name().toLowerCase().replace('_', '-');
                System.out.printf("%-52s %-14s %,12d  %s%n", s.name(), Arrays.toString(s.shape()).replace(" ", ""),
                        s.count(), role);
                long[] acc = byRole.computeIfAbsent(s.role(), r -> new long[2]);
                acc[0]++;
                acc[1] += s.count();
                total += s.count();
            }
            System.out.println();
            for (Map.Entry<ParamSpec.Role, long[]> e : byRole.entrySet()) {
                System.out.printf("%-16s %4d tensors %,14d  %5.1f %%%n", e.getKey().name().toLowerCase().replace('_', '-'),
                        e.getValue()[0], e.getValue()[1], 100.0 * e.getValue()[1] / total);
            }
            System.out.printf("%-16s %4d tensors %,14d  (%.1f MB as float32; vocabulary %d)%n", "total",
                    ParamSpec.all(mc, v).size(), total, total * 4 / 1e6, v);
            if (mc.hashEmbedding()) {
                System.out.printf("embedding: hash (no table: the %d x %d hash vectors are recomputed from the pieces and "
                        + "hash_seed %d; %s; output projection untied)%n", v, mc.hashDim(), mc.hashSeed(),
                        mc.hashProjection() ? "the projection counts" : "no projection");
            }
            return 0;
        }
    }
}
