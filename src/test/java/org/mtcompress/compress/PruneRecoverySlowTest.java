package org.mtcompress.compress;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.eval.Bleu;
import org.mtcompress.model.Decoder;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.model.TinyData;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.Retraining;
import org.mtcompress.train.TrainSeeds;
import org.mtcompress.train.Trainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on a tiny trained model: pruning to 80 % on the cubic schedule fitted to the retraining budget keeps
 * exactly the scheduled share of zeros after every optimizer step (80 % from the last mask update on) and recovers
 * BLEU above the same 80 % pruning without retraining.
 */
@Tag("slow")
class PruneRecoverySlowTest {
    private static final int V = 40;
    private static final ModelConfig CFG = new ModelConfig(1, 1, 2, 64, 128, 0, true, true, 32,
            ModelConfig.Embedding.DENSE);

    @Test
    void prunedTo80PercentOverItsRetrainingKeepsExactZerosAndRecovers() {
        List<Batch> data = TinyData.reversal(64, 8, V, 6, 2);
        Transformer trained = Transformer.create(CFG, V, 0, 2, 3, 1);
        Trainer pre = new Trainer(trained, TrainConfig.quick(3e-3, 10, 0), TrainSeeds.of(1)).quiet();
        for (int step = 0; step < 400; step++) {
            pre.trainStep(data.get(step % data.size()));
        }
        ParameterMap weights = ParameterMap.copyOf(trained.parameters());
        double original = bleu(trained, data);

        Transformer once = Transformer.fromParameters(CFG, V, 0, 2, 3, ParameterMap.copyOf(weights));
        CompressionPipeline.run(once.parameters(), new PruningSpec("prune", ScopeSpec.of(ScopePreset.ALL),
                new PruningSettings(0.8, 0.8, 0, 1, false, PruningThreshold.PER_TENSOR)), CompressorRegistry.standard(),
                null, 0);
        double noRetraining = bleu(once, data);

        Transformer gradual = Transformer.fromParameters(CFG, V, 0, 2, 3, ParameterMap.copyOf(weights));
        PruningSettings settings = new PruningSettings(0.5, 0.8, 4, 1, true, PruningThreshold.PER_TENSOR, true, 0.25);
        long steps = 200;
        PruningSchedule schedule = PruningSchedule.of(settings.forBudget(steps));
        assertEquals(148, schedule.lastStep());     // T = 150, rounds every 37 steps, 52 recovery steps
        TrainConfig rt = ConfigLoader.override(TrainConfig.quick(3e-3, 5, steps), List.of("lr_schedule=cosine"));
        Trainer trainer = new Trainer(gradual, rt, TrainSeeds.of(3)).quiet();
        List<String> scope = Scope.resolve(gradual.parameters(), ScopeSpec.of(ScopePreset.ALL));
        List<Long> checked = new ArrayList<>();
        CompressionPipeline.run(gradual.parameters(), new PruningSpec("prune", ScopeSpec.of(ScopePreset.ALL), settings),
                CompressorRegistry.standard(), (params, n, hook) -> Retraining.of(trainer, epoch -> data)
                        .retrain(params, n, (p, step) -> {
                            hook.afterStep(p, step);
                            double s = sparsityAt(schedule, step);
                            for (String name : scope) {
                                float[] w = p.read(name);
                                assertEquals(Math.round(s * w.length), zeros(w), name + " after step " + step);
                            }
                            checked.add(step);
                        }), steps);
        assertEquals(steps, checked.size());
        assertEquals(steps, trainer.step());
        NamedParameters p = gradual.parameters();
        for (String name : scope) {
            assertEquals(Math.round(0.8 * p.read(name).length), zeros(p.read(name)), name);
        }
        double recovered = bleu(gradual, data);
        // measured: 97.6 unpruned, 0.0 pruned to 80 % at once, 83.7 after gradual pruning with retraining
        assertTrue(recovered > noRetraining + 20, "BLEU after gradual pruning with retraining " + recovered
                + " vs 80 % pruned without retraining " + noRetraining + " (unpruned " + original + ")");
    }

    /** The sparsity in force after {@code step}: the last schedule point at or before it. */
    private static double sparsityAt(PruningSchedule schedule, long step) {
        double s = 0;
        for (PruningSchedule.Point pt : schedule.points()) {
            if (pt.step() <= step) {
                s = pt.sparsity();
            }
        }
        return s;
    }

    private static int zeros(float[] v) {
        int z = 0;
        for (float x : v) {
            z += x == 0f ? 1 : 0;
        }
        return z;
    }

    /** Corpus BLEU of greedy translations of the training sources against their reversed targets (ids as words). */
    private static double bleu(Transformer m, List<Batch> data) {
        List<int[]> sources = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        for (Batch b : data) {
            for (int i = 0; i < b.source().length; i++) {
                sources.add(untilEos(b.source()[i], true));
                refs.add(words(untilEos(b.target()[i], false)));
            }
        }
        List<String> hyps = new Decoder(m, 1, 1.0).translate(sources, 8).stream().map(PruneRecoverySlowTest::words)
                .toList();
        return new Bleu().corpusScore(hyps, List.of(refs)).score();
    }

    private static int[] untilEos(int[] row, boolean keepEos) {
        int n = 0;
        while (n < row.length && row[n] != TinyData.EOS) {
            n++;
        }
        return Arrays.copyOf(row, keepEos ? n + 1 : n);
    }

    private static String words(int[] ids) {
        return Arrays.stream(ids).filter(id -> id > TinyData.EOS).mapToObj(id -> "w" + id)
                .collect(Collectors.joining(" "));
    }
}
