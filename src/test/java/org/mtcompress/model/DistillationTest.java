package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.train.TrainSeeds;
import org.mtcompress.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Word-level knowledge distillation on the tiny model: the loss, its gradient, and a teacher that stays frozen. */
class DistillationTest {
    static final int V = 20;

    static ModelConfig tiny() {
        return new ModelConfig(1, 1, 2, 16, 32, 0.0, true, true, 32, ModelConfig.Embedding.DENSE);
    }

    private static Transformer model(long seed) {
        return Transformer.create(tiny(), V, 0, 2, 3, seed);
    }

    @Test
    void alphaZeroEqualsPlainCrossEntropy() {
        Batch b = TinyData.reversal(8, 8, V, 5, 1).get(0);
        Transformer student = model(1);
        Transformer teacher = model(2);
        Transformer.LossAndGradients plain = student.gradients(b, 0.1, 7);
        student.distill(new Distillation(0, 2));
        Transformer.LossAndGradients kd = student.gradients(b, 0.1, 7, teacher.softTargets(b, 2));
        assertEquals(plain.loss(), kd.loss(), 1e-6);
        for (Map.Entry<String, INDArray> e : plain.gradients().entrySet()) {
            float[] a = e.getValue().dup().data().asFloat();
            float[] k = kd.gradients().get(e.getKey()).dup().data().asFloat();
            assertArrayEquals(a, k, 1e-6f, e.getKey());
        }
        assertThrows(IllegalArgumentException.class, () -> student.gradients(b, 0.1, 7));
    }

    @Test
    void theDistillationTermsGradientMatchesFiniteDifferences() {
        Batch b = TinyData.reversal(8, 8, V, 5, 3).get(0);
        Transformer student = model(1);
        Transformer teacher = model(2);
        double t = 2;
        INDArray soft = teacher.softTargets(b, t);
        // rows of the teacher's tempered distribution sum to one
        double[] sums = soft.sum(1).toDoubleVector();
        for (double s : sums) {
            assertEquals(1.0, s, 1e-5);
        }
        student.distill(new Distillation(1, t));       // the soft term alone
        Transformer.LossAndGradients lg = student.gradients(b, 0.1, 7, soft);
        for (String name : List.of("decoder.layers.0.fc2.weight", "decoder.layers.0.self_attn.q_proj.weight",
                "encoder.layers.0.fc1.weight")) {
            float[] analytic = lg.gradients().get(name).dup().data().asFloat();
            NamedParameters p = student.parameters();
            for (int c : new int[] {0, 5, analytic.length / 2, analytic.length - 1}) {
                float[] w = p.read(name);
                float orig = w[c];
                double h = 1e-2;
                w[c] = (float) (orig + h);
                p.write(name, w);
                double up = student.gradients(b, 0.1, 7, soft).loss();
                w[c] = (float) (orig - h);
                p.write(name, w);
                double down = student.gradients(b, 0.1, 7, soft).loss();
                w[c] = orig;
                p.write(name, w);
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, analytic[c], 2e-3 + 0.05 * Math.abs(numeric),
                        name + "[" + c + "]: analytic " + analytic[c] + " vs numeric " + numeric);
            }
        }
        // a student equal to its teacher is at the minimum of the KL: zero gradient
        Transformer copy = Transformer.fromParameters(tiny(), V, 0, 2, 3, ParameterMap.copyOf(teacher.parameters()));
        copy.distill(new Distillation(1, t));
        for (INDArray g : copy.gradients(b, 0.1, 7, soft).gradients().values()) {
            assertEquals(0.0, g.norm2Number().doubleValue(), 1e-5);
        }
    }

    @Test
    void theTeacherIsNeverUpdated() {
        List<Batch> data = TinyData.reversal(16, 8, V, 5, 1);
        Transformer teacher = model(2);
        Transformer student = model(1);
        Map<String, float[]> before = new java.util.LinkedHashMap<>();
        teacher.parameters().names().forEach(n -> before.put(n, teacher.parameters().read(n)));
        float[] studentBefore = student.parameters().read("decoder.layers.0.fc2.weight");
        Trainer trainer = new Trainer(student, TrainConfig.quick(1e-2, 1, 4), TrainSeeds.of(1)).quiet()
                .distillFrom(teacher, new Distillation(0.5, 2));
        Trainer.Result r = trainer.fit(epoch -> data, null, null, "h");
        assertEquals(4, r.steps());
        assertTrue(r.curve().stream().allMatch(s -> Double.isFinite(s.loss())));
        before.forEach((n, w) -> assertArrayEquals(w, teacher.parameters().read(n), n));
        assertFalse(java.util.Arrays.equals(studentBefore, student.parameters().read("decoder.layers.0.fc2.weight")));
        assertThrows(IllegalArgumentException.class, () -> new Trainer(student, TrainConfig.quick(1e-2, 1, 4),
                TrainSeeds.of(1)).distillFrom(student, new Distillation(0.5, 2)));
    }
}
