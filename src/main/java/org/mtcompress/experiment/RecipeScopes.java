package org.mtcompress.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mtcompress.compress.CompressionPipeline;
import org.mtcompress.compress.CompressorRegistry;
import org.mtcompress.config.ConfigException;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.Source;
import org.mtcompress.model.ParameterLayout;

/**
 * Checks, when an experiment is loaded, that no row's recipe has stages whose scopes overlap in a way the compression
 * pipeline refuses (anything but pruning followed by a compressor that keeps its zeros). Scopes are resolved against
 * the parameter names and shapes derived from the row's model config ({@link ParameterLayout}), so nothing is built
 * or trained; the pipeline makes the same check again before it compresses.
 */
final class RecipeScopes {
    private RecipeScopes() {
    }

    /**
     * @param file the experiment file (null for a config built in code): errors name its line
     * @throws ConfigException one line naming the file, the line and the key of the stage at fault
     */
    static void check(Path file, ExperimentConfig cfg, List<ExperimentRunner.Row> rows) {
        CompressorRegistry registry = CompressorRegistry.standard();
        Set<String> checked = new HashSet<>();
        for (ExperimentRunner.Row r : rows) {
            VariantSpec v = r.variant();
            if (v == null || v.architectureVariant()) {
                continue;
            }
            List<CompressionPipeline.Stage> stages = v.pipelineStages();
            // grid runs that differ only in settings other than the model and the recipe are checked once
            if (!checked.add(ConfigLoader.hash(List.of(ConfigLoader.toPlain(r.cfg().model()),
                    ConfigLoader.toPlain(v.recipe()))))) {
                continue;
            }
            try {
                CompressionPipeline.checkOverlap(ParameterLayout.of(r.cfg().model()), stages, registry);
            } catch (CompressionPipeline.StageConflict e) {
                throw error(file, cfg, r, v, e);
            }
        }
    }

    private static ConfigException error(Path file, ExperimentConfig cfg, ExperimentRunner.Row r, VariantSpec v,
                                         CompressionPipeline.StageConflict e) {
        List<String> path = new ArrayList<>();
        int listed = cfg.variants().stream().map(VariantSpec::name).toList().indexOf(v.name());
        String key;
        if (listed >= 0) {
            path.add("variants");
            path.add(Integer.toString(listed));
            key = "variants[" + listed + "]";
        } else {
            path.add("variant");
            key = "variant";
        }
        if (v.stages().isEmpty()) {
            path.add("compressor");
            key += ".compressor";
        } else {
            path.add("stages");
            path.add(Integer.toString(e.stage()));
            path.add("compressor");
            key += ".stages[" + e.stage() + "].compressor";
        }
        Source where = file == null ? Source.file("experiment " + cfg.experiment(), 0) : ConfigLoader.locate(file, path);
        String row = listed >= 0 ? "variant '" + v.name() + "'" : "grid run '" + r.name() + "'";
        return new ConfigException(where, "key '" + key + ".scope': " + row + ": " + e.getMessage());
    }
}
