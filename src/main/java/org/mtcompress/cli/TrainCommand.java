package org.mtcompress.cli;

import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.RunConfig;
import org.mtcompress.experiment.RunFolder;
import org.mtcompress.data.PreparedData;
import org.mtcompress.train.TrainRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mtc train}: trains the baseline Transformer of a run config and evaluates it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the Transformer of a run config (data, model, train sections); writes checkpoints "
                + "(best.mtck, last.mtck), the vocabulary, hypotheses and metrics.json into a run folder. "
                + "An unfinished run folder is resumed from last.mtck.",
        footer = {"", "Example:", "  ./mtc train configs/train/multi30k-tiny.yaml",
                "  ./mtc train configs/train/multi30k-tiny.yaml train.max_minutes=2 --out /tmp/tiny"})
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "run config (YAML)")
    Path config;

    @Parameters(index = "1..*", arity = "0..*", description = "overrides key.path=value")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", description = "write into this folder instead of a run folder under --results")
    Path out;

    @Option(names = "--results", defaultValue = "results", description = "results root (default: ${DEFAULT-VALUE})")
    Path results;

    @Option(names = "--run", description = "run name (default: train-<config hash>)")
    String run;

    @Override
    public Integer call() {
        ConfigLoader.Loaded<RunConfig> loaded = ConfigLoader.load(config, overrides, RunConfig.class);
        RunConfig rc = loaded.value();
        if (out != null) {
            Map<String, Object> m = TrainRun.run(loaded, PreparedData.prepare(rc.data()), out, System.out::println);
            System.out.println("metrics: " + out.resolve("metrics.json"));
            return m.isEmpty() ? 1 : 0;
        }
        String name = run != null ? run : "train-" + loaded.shortHash();
        RunFolder folder = RunFolder.open(results, rc.experiment(), name, loaded, rc.seed(), Path.of("."));
        try {
            PreparedData data = PreparedData.prepare(rc.data());
            folder.provenance().addDataChecksums(data.files());
            folder.provenance().recordSeeds("", TrainRun.seeds(rc).named());
            folder.saveProvenance();
            Map<String, Object> m = TrainRun.run(loaded, data, folder.dir(), line -> {
                System.out.println(line);
                folder.log(line);
            });
            folder.writeMetrics(m);
            folder.finish();
        } catch (RuntimeException e) {
            folder.fail(e);
            throw e;
        }
        System.out.println("run folder: " + folder.dir());
        return 0;
    }
}
