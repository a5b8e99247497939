package org.mtcompress.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.DataConfig;
import org.mtcompress.config.RunConfig;
import org.mtcompress.data.PreparedData;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.train.TrainRun;

/**
 * Trained baselines, content-addressed: a baseline lives in {@code <results>/runs/baselines/<hash>/}, the hash of
 * its resolved run config, and is trained once however many experiments, variants and sweep processes need it.
 * Sweep runs in parallel processes may need the same baseline at once: a file lock beside its folder lets one
 * process train it while the others wait and then reuse it. An unfinished baseline (a preempted job) resumes from
 * its last checkpoint. Prepared data (corpus, vocabulary, encoded splits) is made here too, once per data config.
 */
final class BaselineStore {
    /** A trained baseline with its data, loaded once per invocation. */
    record Base(String hash, Path dir, Path checkpoint, Checkpoint model, PreparedData data) {
        String key(EvalSettings eval) {
            return hash + "/" + ConfigLoader.of(eval, null).hash();
        }

        /** The test sentences the rows of {@code rc} are scored on. */
        VariantRunner.EvalData eval(ExperimentConfig rc) {
            PreparedData.Split test = rc.eval().testSplit() == null ? data.tests().get(0) : data.split(rc.eval().testSplit());
            int n = rc.eval().maxSentences() > 0 ? Math.min(rc.eval().maxSentences(), test.text().source().size())
                    : test.text().source().size();
            return new VariantRunner.EvalData(test.name(), test.text().source().subList(0, n),
                    test.text().target().subList(0, n));
        }
    }

    private final Path resultsRoot;
    private final Path projectRoot;
    private final Consumer<String> out;
    private final Map<String, Base> bases = new HashMap<>();
    private final Map<String, PreparedData> data = new HashMap<>();

    BaselineStore(Path resultsRoot, Path projectRoot, Consumer<String> out) {
        this.resultsRoot = resultsRoot;
        this.projectRoot = projectRoot;
        this.out = out;
    }

    /** The prepared data of {@code cfg}: the one place corpora are read and vocabularies learned or loaded. */
    PreparedData data(DataConfig cfg) {
        return data.computeIfAbsent(ConfigLoader.of(cfg, null).hash(), h -> PreparedData.prepare(cfg));
    }

    /** The baseline of {@code rc}, trained (or resumed) now unless a finished one is stored. */
    Base base(ExperimentConfig rc) {
        ConfigLoader.Loaded<RunConfig> baseline = ConfigLoader.of(rc.baseline(), null);
        Base b = bases.get(baseline.hash());
        if (b == null) {
            PreparedData d = data(rc.data());
            Path dir = train(baseline, d);
            Path checkpoint = checkpoint(dir);
            b = new Base(baseline.hash(), dir, checkpoint, Checkpoint.load(checkpoint), d);
            bases.put(baseline.hash(), b);
        }
        return b;
    }

    /** The checkpoint a finished baseline folder is used through: its best, else its last. */
    static Path checkpoint(Path dir) {
        return Files.exists(dir.resolve("best.mtck")) ? dir.resolve("best.mtck") : dir.resolve("last.mtck");
    }

    /** Trains {@code baseline} into its folder unless a finished one is there; returns the folder. */
    Path train(ConfigLoader.Loaded<RunConfig> baseline, PreparedData data) {
        String run = baseline.shortHash();
        Path dir = RunFolder.pathOf(resultsRoot, ExperimentRunner.BASELINES, run);
        if (RunFolder.isFinished(dir)) {
            out.accept("baseline " + run + ": trained earlier with the same config, reused");
            return dir;
        }
        Path lock = dir.resolveSibling(run + ".lock");
        try {
            Files.createDirectories(lock.getParent());
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock held = ch.tryLock();
                if (held == null) {
                    out.accept("baseline " + run + ": another process is training it; waiting");
                    held = ch.lock();
                }
                try (FileLock ignored = held) {
                    if (RunFolder.isFinished(dir)) {
                        out.accept("baseline " + run + ": trained by another process, reused");
                        return dir;
                    }
                    trainLocked(baseline, data, run, dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lock, e);
        }
        return dir;
    }

    private void trainLocked(ConfigLoader.Loaded<RunConfig> baseline, PreparedData data, String run, Path dir) {
        out.accept("baseline " + run + ": training" + (Files.exists(dir.resolve("last.mtck")) ? " (resuming)" : ""));
        RunFolder folder = RunFolder.open(resultsRoot, ExperimentRunner.BASELINES, run, baseline, baseline.value().seed(),
                projectRoot);
        folder.provenance().addDataChecksums(data.files());
        folder.provenance().recordSeeds("", TrainRun.seeds(baseline.value()).named());
        folder.saveProvenance();
        try {
            TrainRun.run(baseline, data, folder.dir(), line -> {
                folder.log(line);
                out.accept("  " + line);
            }, false);
            folder.finish();
        } catch (RuntimeException e) {
            folder.fail(e);
            throw e;
        }
    }
}
