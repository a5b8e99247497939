package org.mtcompress.cli;

import org.mtcompress.bench.EmbeddingLookupBenchmark;
import org.mtcompress.util.MtcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mtc bench embedding}: times the dense embedding lookup against the fused gather + dequantize of packed
 * intN tables and prints time and memory side by side.
 */
@Command(name = "embedding",
        mixinStandardHelpOptions = true,
        description = {
                "Benchmark the embedding lookup of a batch of token ids: dense float[] / float[][] gathers against",
                "the fused gather + dequantize of packed int8 (channel) and int4 (group 128, 64) tables.",
                "Prints memory and median time per batch, both relative to the dense float[] gather."},
        footer = {"", "Example:", "  ./mtc bench embedding --shape 8000x256 --shape 32000x512 --batch 2048 --seconds 3"})
public final class BenchEmbeddingCommand implements Callable<Integer> {
    @Option(names = "--shape", description = "table shape ROWSxCOLS, repeatable (default: 8000x256 and 32000x512)")
    List<String> shapes = new ArrayList<>();

    @Option(names = "--batch", defaultValue = "2048", description = "ids per batch (default: ${DEFAULT-VALUE} = 64 x 32)")
    int batch;

    @Option(names = "--seconds", defaultValue = "2", description = "time budget per variant (default: ${DEFAULT-VALUE})")
    double seconds;

    @Override
    public Integer call() {
        if (shapes.isEmpty()) {
            shapes = List.of("8000x256", "32000x512");
        }
        if (batch < 1 || !(seconds > 0)) {
            throw new MtcException("--batch must be >= 1 and --seconds > 0");
        }
        List<EmbeddingLookupBenchmark.Row> rows = new ArrayList<>();
        for (String s : shapes) {
            String[] p = s.toLowerCase().split("x");
            int r;
            int c;
            try {
                if (p.length != 2) {
                    throw new NumberFormatException();
                }
                r = Integer.parseInt(p[0]);
                c = Integer.parseInt(p[1]);
            } catch (NumberFormatException e) {
                throw new MtcException("--shape: expected ROWSxCOLS such as 8000x256, got '" + s + "'");
            }
            if (r < 1 || c < 2 || (long) r * c > Integer.MAX_VALUE / 2) {
                throw new MtcException("--shape: " + s + " is out of range");
            }
            rows.addAll(EmbeddingLookupBenchmark.run(r, c, batch, seconds));
        }
        System.out.print(EmbeddingLookupBenchmark.format(rows, batch));
        return 0;
    }
}
