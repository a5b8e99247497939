package org.mtcompress.model;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.Batch;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.*;

public class Scratch {
    public static void main(String[] a) {
        int V = Integer.parseInt(a[0]);
        ModelConfig cfg = a[1].equals("small") ? new ModelConfig(3, 3, 4, 256, 1024, 0.0, true, true, 256, ModelConfig.Embedding.DENSE) : ModelConfig.tiny().withDropout(0);
        Transformer m = Transformer.create(cfg, V, 0, 2, 3, 1);
        Random r = new Random(1);
        int B = 64, T = 32;
        int[][] s = new int[B][T], t = new int[B][T];
        for (int i = 0; i < B; i++) for (int j = 0; j < T; j++) { s[i][j] = 4 + r.nextInt(V - 4); t[i][j] = 4 + r.nextInt(V - 4); }
        Batch b = new Batch(s, t, new int[B], B * T, B * T);
        System.out.println("loss0 " + java.util.Arrays.toString(m.evalLoss(b, 0.1)));
        for (int it = 0; it < 5; it++) {
            long t0 = System.nanoTime();
            Transformer.LossAndGradients g = m.gradients(b, 0.1);
            System.gc();
            System.out.printf("grad %.3f s loss %.4f%n", (System.nanoTime() - t0) / 1e9, g.loss());
        }
    }
}
