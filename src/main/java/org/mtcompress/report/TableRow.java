package org.mtcompress.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One run's line in the comparison table, as the run writes it into its {@code metrics.json} under {@code "row"}.
 * The table is rebuilt from these alone; columns relative to the baseline (ΔBLEU, % of original) and to the
 * control row (% of control) are computed when the table is built.
 *
 * @param variant       the variant's name ({@code original} for the baseline)
 * @param role          {@code baseline}, {@code control} (no compression, retrained like the variants) or
 *                      {@code variant}
 * @param compressor    compressor name, or {@code none}
 * @param scope         scope description, or {@code -}
 * @param testBleu      corpus BLEU on the test set (sacreBLEU-compatible, detokenized, cased)
 * @param testBleuLow   lower end of the 95 % bootstrap confidence interval of the test BLEU
 * @param testBleuHigh  upper end of that interval
 * @param signature     the BLEU signature
 * @param ratioModel    whole-model compression ratio (fp32 bits / stored bits)
 * @param ratioScope    compression ratio within the compressed scope
 * @param bitsPerWeight stored bits per weight within the scope
 * @param sparsity      fraction of zero weights within the scope
 * @param retrainSteps  optimizer steps of retraining after compression
 * @param pValue        paired bootstrap p-value of the BLEU difference to the baseline (null for the baseline)
 * @param wallTimeS     wall time of the run in seconds (compression, retraining, evaluation)
 * @param status        {@code finished} or {@code failed}
 * @param error         the error of a failed run
 * @param decodeMb      megabytes (10^6 bytes) of parameters held while decoding with the packed decoder: each matrix in
 *                      its stored form's kernel ({@code infer.StoredForms}), vectors fp32; null where not computed
 * @param otherTestBleu BLEU on the data set's other test splits, by split name, decoded like the test split
 *                      ({@code eval.all_test_splits}); empty when the experiment scores one split
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TableRow(String variant, String role, String compressor, String scope,
                       Double testBleu, Double testBleuLow, Double testBleuHigh, String signature,
                       Double ratioModel, Double ratioScope, Double bitsPerWeight, Double sparsity,
                       long retrainSteps, Double pValue, double wallTimeS, String status, String error,
                       Double decodeMb, java.util.Map<String, Double> otherTestBleu) {
    public TableRow {
        otherTestBleu = otherTestBleu == null ? java.util.Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(otherTestBleu));
    }

    /** A row scored on one test split only. */
    public TableRow(String variant, String role, String compressor, String scope, Double testBleu, Double testBleuLow,
                    Double testBleuHigh, String signature, Double ratioModel, Double ratioScope, Double bitsPerWeight,
                    Double sparsity, long retrainSteps, Double pValue, double wallTimeS, String status, String error,
                    Double decodeMb) {
        this(variant, role, compressor, scope, testBleu, testBleuLow, testBleuHigh, signature, ratioModel, ratioScope,
                bitsPerWeight, sparsity, retrainSteps, pValue, wallTimeS, status, error, decodeMb, null);
    }

    /** A row without the packed decode memory (architecture variants, failed runs). */
    public TableRow(String variant, String role, String compressor, String scope, Double testBleu, Double testBleuLow,
                    Double testBleuHigh, String signature, Double ratioModel, Double ratioScope, Double bitsPerWeight,
                    Double sparsity, long retrainSteps, Double pValue, double wallTimeS, String status, String error) {
        this(variant, role, compressor, scope, testBleu, testBleuLow, testBleuHigh, signature, ratioModel, ratioScope,
                bitsPerWeight, sparsity, retrainSteps, pValue, wallTimeS, status, error, null, null);
    }

    @JsonIgnore
    public boolean isBaseline() {
        return "baseline".equals(role);
    }

    /** The control row: the original without compression, retrained for the variants' steps. */
    @JsonIgnore
    public boolean isControl() {
        return "control".equals(role);
    }

    @JsonIgnore
    public boolean finished() {
        return "finished".equals(status) && testBleu != null;
    }

    /** The row of a variant that failed: everything but its name, settings and error is empty. */
    public static TableRow failed(String variant, String compressor, String scope, double wallTimeS, String error) {
        return new TableRow(variant, "variant", compressor, scope, null, null, null, null, null, null, null, null,
                0, null, wallTimeS, "failed", error);
    }
}
