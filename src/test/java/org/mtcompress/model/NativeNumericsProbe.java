package org.mtcompress.model;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.Batch;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Child process of {@link NativeNumericsSlowTest}: the small model's forward outputs (first decoding step's
 * log-probabilities, the training loss) and every parameter's gradient on a fixed batch, written to a file, with
 * the path of the libnd4jcpu JavaCPP loaded. Natives load once per process, so each build needs its own process.
 * <p>Usage: {@code NativeNumericsProbe OUT_FILE}; the file holds the library path, then (name, length, floats)
 * records.
 */
public final class NativeNumericsProbe {
    private NativeNumericsProbe() {
    }

    public static void main(String[] args) throws IOException {
        ModelConfig small = new ModelConfig(3, 3, 4, 256, 1024, 0.1, true, true, 256, ModelConfig.Embedding.DENSE);
        int vocab = 8000;
        Transformer m = Transformer.create(small, vocab, TinyData.PAD, TinyData.BOS, TinyData.EOS, 11);
        // every ReLU input far from its kink: a last-bit difference in a pre-activation near 0 flips that unit and
        // changes the gradients of everything below it by ~1e-4 (norm-wise), whatever the kernels' accuracy
        NamedParameters p = m.parameters();
        for (String n : p.names()) {
            if (n.endsWith(".fc1.bias")) {
                float[] b = p.read(n);
                java.util.Arrays.fill(b, 10f);
                p.write(n, b);
            }
        }
        List<int[]> src = new ArrayList<>(), tgt = new ArrayList<>();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 16; i++) {
            int[] s = new int[8 + r.nextInt(12)], t = new int[8 + r.nextInt(12)];
            for (int j = 0; j < s.length; j++) {
                s[j] = 4 + r.nextInt(vocab - 4);
            }
            for (int j = 0; j < t.length; j++) {
                t[j] = 4 + r.nextInt(vocab - 4);
            }
            src.add(s);
            tgt.add(t);
        }
        Batch b = TinyData.batch(src, tgt, 0);
        Map<String, float[]> out = new TreeMap<>();
        Transformer.LossAndGradients lg = m.gradients(b, 0.1, 5);
        out.put("loss", new float[]{(float) lg.loss()});
        lg.gradients().forEach((n, g) -> out.put("grad:" + n, g.dup('c').data().asFloat()));
        Transformer.Encoded enc = m.encode(b.source());
        int rows = b.rows();
        int[] sentence = new int[rows], bos = new int[rows];
        for (int i = 0; i < rows; i++) {
            sentence[i] = i;
            bos[i] = TinyData.BOS;
        }
        out.put("forward:step_log_probs", m.step(enc, m.emptyCache(rows), sentence, sentence, bos).logProbs());
        INDArray probe = org.nd4j.linalg.factory.Nd4j.ones(1);     // the backend is loaded by now
        String lib = org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet().stream()
                .map(Map.Entry::getValue).filter(path -> path != null && path.endsWith("/libnd4jcpu.so")).findFirst().orElse("unknown");
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(Path.of(args[0])))) {
            o.writeUTF(lib + " " + probe.length());
            o.writeInt(out.size());
            for (Map.Entry<String, float[]> e : out.entrySet()) {
                o.writeUTF(e.getKey());
                o.writeInt(e.getValue().length);
                for (float f : e.getValue()) {
                    o.writeFloat(f);
                }
            }
        }
    }
}
