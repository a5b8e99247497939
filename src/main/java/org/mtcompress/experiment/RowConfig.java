package org.mtcompress.experiment;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.RunConfig;

/**
 * What one row of an experiment's table depends on: the baseline, the evaluation, and (for a compressed row) the
 * variant. Its hash is the row's run-folder identity: change any of them and the row is recomputed.
 */
@Doc("one row of an experiment")
public record RowConfig(
        @Doc("the baseline's run config") RunConfig baseline,
        @Doc("evaluation settings") EvalSettings eval,
        @Doc("the variant; absent for the original model") @Default("~") VariantSpec variant) {
}
