package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.model.ParameterMap;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinaryCompressorTest {
    private static CompressionState binarize(ParameterMap p, boolean flex, List<String> names) {
        return CompressorRegistry.standard().create(CompressorSpec.defaults(flex ? "bsflex" : "binary_fixed", 1))
                .compress(p, names);
    }

    @Test
    void tinyTensorKnownAnswer() {
        ParameterMap p = new ParameterMap().put("w", new long[] {4}, new float[] {-1, -0.5f, 1, 2});
        CompressionState s = binarize(p, true, List.of("w"));
        assertArrayEquals(new float[] {-0.75f, -0.75f, 1.5f, 1.5f}, p.read("w"));
        // step: the optimizer pushes w[2] down by 2.0 -> latent 1 - 2 = -1 < midpoint 0.375: it switches cluster
        float[] now = p.read("w");
        now[2] -= 2f;
        p.write("w", now);
        s.afterStep(p, 1);
        // latent = {-1, -0.5, -1, 2}: lower mean -2.5/3, upper 2
        float lo = (float) (-2.5 / 3);
        assertArrayEquals(new float[] {lo, lo, lo, 2f}, p.read("w"));
        CodebookTensor t = (CodebookTensor) s.encode(p).tensors().get("w");
        assertArrayEquals(new float[] {lo, 2f}, t.codebook());
        assertArrayEquals(new int[] {0, 0, 0, 1}, t.codes());
        assertEquals(4 + 64, t.bits().total());
    }

    @Test
    void fixedCentroidsNeverMoveButWeightsMaySwitch() {
        ParameterMap p = new ParameterMap().put("w", new long[] {4}, new float[] {-1, -0.5f, 1, 2});
        CompressionState s = binarize(p, false, List.of("w"));
        float[] now = p.read("w");
        now[2] -= 2f;
        p.write("w", now);
        s.afterStep(p, 1);
        assertArrayEquals(new float[] {-0.75f, -0.75f, -0.75f, 1.5f}, p.read("w"));
    }

    @Test
    void flexKernelEqualsItsReference() {
        Random rnd = new Random(2);
        int n = 10_001;
        float[] latent = new float[n];
        float[] now = new float[n];
        byte[] c1 = new byte[n];
        for (int i = 0; i < n; i++) {
            latent[i] = (float) rnd.nextGaussian();
            c1[i] = (byte) (latent[i] > 0 ? 1 : 0);
            now[i] = (c1[i] == 1 ? 0.8f : -0.8f) + (float) (rnd.nextGaussian() * 0.1);
        }
        float[] l2 = latent.clone();
        byte[] c2 = c1.clone();
        float[] cent1 = {-0.8f, 0.8f};
        float[] cent2 = {-0.8f, 0.8f};
        float[] out1 = new float[n];
        float[] out2 = new float[n];
        for (int step = 0; step < 3; step++) {
            BinaryKernels.flexStep(latent, now, c1, cent1, out1);
            BinaryKernels.flexStepReference(l2, now, c2, cent2, out2);
            // the fast kernel sums in four lanes: centroids agree to a few ulps, codes and latents exactly
            assertArrayEquals(cent2, cent1, 1e-6f);
            assertArrayEquals(c2, c1);
            assertArrayEquals(l2, latent);
            assertArrayEquals(out2, out1, 1e-6f);
            System.arraycopy(cent1, 0, cent2, 0, 2);
        }
    }

    @Test
    void invariantsHoldAfterRandomRetrainingSteps() {
        for (boolean flex : new boolean[] {true, false}) {
            ParameterMap p = FakeModel.transformer(1, 8, 16, 20, 5);
            List<String> scope = Scope.resolve(p, ScopeSpec.of(ScopePreset.ATTENTION));
            CompressionState s = binarize(p, flex, scope);
            Random rnd = new Random(3);
            for (int step = 1; step <= 6; step++) {
                FakeModel.randomStep(p, rnd, 0.02);
                s.afterStep(p, step);
            }
            Encoding e = s.encode(p);
            for (String name : scope) {
                float[] v = p.read(name);
                assertEquals(2, FakeModel.distinct(v), name);
                assertArrayEquals(v, e.tensors().get(name).decode(), name);
            }
        }
    }
}
