package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.Batch;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite differences against the analytic gradient, for every parameter of a micro model. */
class TransformerGradientTest {

    @Test
    void gradientsMatchFiniteDifferencesPreLnTied() {
        check(TinyData.micro(true, true));
    }

    @Test
    void gradientsMatchFiniteDifferencesPostLnUntied() {
        check(TinyData.micro(false, false));
    }

    private static void check(ModelConfig cfg) {
        int vocab = 12;
        Transformer m = Transformer.create(cfg, vocab, TinyData.PAD, TinyData.BOS, TinyData.EOS, 7);
        Batch b = TinyData.reversal(3, 3, vocab, 4, 3).get(0);   // padded rows of different lengths
        double ls = 0.1;
        Map<String, INDArray> grads = m.gradients(b, ls, 0).gradients();
        Random r = new Random(5);
        Set<ParamSpec.Role> roles = EnumSet.noneOf(ParamSpec.Role.class);
        int checked = 0;
        for (ParamSpec spec : ParamSpec.all(cfg, vocab)) {
            String name = spec.name();
            float[] g = grads.get(name).dup('c').data().asFloat();
            int n = g.length;
            int[] coords = spec.role() == ParamSpec.Role.EMBEDDING
                    ? new int[]{b.source()[0][0] * cfg.dModel() + 1, b.target()[1][0] * cfg.dModel() + 3, r.nextInt(n)}
                    : new int[]{r.nextInt(n), r.nextInt(n)};
            for (int c : coords) {
                FiniteDifferences.assertGradientAt(m, b, ls, name, g, c);
                checked++;
            }
            roles.add(spec.role());
        }
        assertTrue(checked > 50, "checked " + checked);
        EnumSet<ParamSpec.Role> want = EnumSet.of(ParamSpec.Role.EMBEDDING, ParamSpec.Role.SELF_ATTENTION,
                ParamSpec.Role.CROSS_ATTENTION, ParamSpec.Role.FFN, ParamSpec.Role.NORM, ParamSpec.Role.BIAS);
        if (!cfg.tiedEmbeddings()) {
            want.add(ParamSpec.Role.OUTPUT);
        }
        assertEquals(want, roles);
        // the embedding gradient is not trivially zero: rows of used ids got gradient from the lookups
        float[] eg = grads.get(ParamSpec.EMBED).dup('c').data().asFloat();
        int row = b.source()[0][0] * cfg.dModel();
        double sum = 0;
        for (int k = 0; k < cfg.dModel(); k++) {
            sum += Math.abs(eg[row + k]);
        }
        assertTrue(sum > 1e-4, "embedding row gradient is zero");
    }

    @Test
    void parameterNamesFollowFairseq() {
        List<String> names = ParamSpec.all(ModelConfig.tiny(), 100).stream().map(ParamSpec::name).toList();
        assertTrue(names.contains("encoder.embed_tokens.weight"));
        assertTrue(names.contains("encoder.layers.1.self_attn.q_proj.weight"));
        assertTrue(names.contains("encoder.layers.0.fc1.weight"));
        assertTrue(names.contains("encoder.layers.0.self_attn_layer_norm.bias"));
        assertTrue(names.contains("decoder.layers.1.encoder_attn.out_proj.bias"));
        assertTrue(names.contains("decoder.layers.0.final_layer_norm.weight"));
        assertTrue(!names.contains("decoder.output_projection.weight"));
        assertTrue(ParamSpec.all(ModelConfig.tiny().with(true, false), 100).stream()
                .anyMatch(s -> s.name().equals("decoder.output_projection.weight")));
    }

    @Test
    void sameSeedSameWeights() {
        Transformer a = Transformer.create(TinyData.micro(true, true), 12, 0, 2, 3, 9);
        Transformer b = Transformer.create(TinyData.micro(true, true), 12, 0, 2, 3, 9);
        Transformer c = Transformer.create(TinyData.micro(true, true), 12, 0, 2, 3, 10);
        String n = "decoder.layers.0.encoder_attn.k_proj.weight";
        assertTrue(java.util.Arrays.equals(a.parameters().read(n), b.parameters().read(n)));
        assertTrue(!java.util.Arrays.equals(a.parameters().read(n), c.parameters().read(n)));
    }
}
