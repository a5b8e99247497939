package org.mtcompress.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mtcompress.util.Seeds;

/**
 * The random streams of one training run, each derived by name from the run's root seed with {@link Seeds#derive}:
 * parameter initialization ({@code init}), the order of the training batches ({@code data_order}) and the dropout
 * masks ({@code dropout}). A retraining run of a compressed variant uses the same names under its own prefix
 * ({@code retrain:<variant>/}), so its batches and dropout differ from the baseline's and from other variants'.
 *
 * @param root      the root seed the streams derive from
 * @param init      seed of the initial weights
 * @param dataOrder seed of the batch order (with the epoch, see {@link org.mtcompress.data.Batcher#training})
 * @param dropout   seed of the dropout masks (with the step)
 */
public record TrainSeeds(long root, long init, long dataOrder, long dropout) {
    /** The baseline's streams of root seed {@code root}. */
    public static TrainSeeds of(long root) {
        return of(root, "");
    }

    /** The streams named {@code prefix + "init"}, {@code prefix + "data_order"}, {@code prefix + "dropout"}. */
    public static TrainSeeds of(long root, String prefix) {
        return new TrainSeeds(root, Seeds.derive(root, prefix + "init"), Seeds.derive(root, prefix + "data_order"),
                Seeds.derive(root, prefix + "dropout"));
    }

    /** The dropout seed of optimizer step {@code step}: masks depend on (dropout seed, step) only. */
    public long dropoutAt(long step) {
        return dropout * 1_000_003L + step;
    }

    /** The derived seeds by stream name, as provenance records them. */
    public Map<String, Long> named() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("init", init);
        m.put("data_order", dataOrder);
        m.put("dropout", dropout);
        return m;
    }
}
