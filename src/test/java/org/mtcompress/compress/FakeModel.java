package org.mtcompress.compress;

import org.mtcompress.model.ParameterMap;

import java.util.Random;

/** Parameter maps named like the real Transformer (random Gaussian values), for compressor tests. */
final class FakeModel {
    private FakeModel() {
    }

    static ParameterMap transformer(int layers, int d, int ff, int vocab, long seed) {
        Random rnd = new Random(seed);
        ParameterMap p = new ParameterMap();
        put(p, rnd, "encoder.embed_tokens.weight", vocab, d);
        for (String side : new String[] {"encoder", "decoder"}) {
            if (side.equals("decoder")) {
                put(p, rnd, "decoder.embed_tokens.weight", vocab, d);
            }
            for (int i = 0; i < layers; i++) {
                String l = side + ".layers." + i + ".";
                for (String att : side.equals("encoder") ? new String[] {"self_attn"} : new String[] {"self_attn", "encoder_attn"}) {
                    for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                        put(p, rnd, l + att + "." + proj + ".weight", d, d);
                        put(p, rnd, l + att + "." + proj + ".bias", d);
                    }
                    put(p, rnd, l + att + "_layer_norm.weight", d);
                    put(p, rnd, l + att + "_layer_norm.bias", d);
                }
                put(p, rnd, l + "fc1.weight", ff, d);
                put(p, rnd, l + "fc1.bias", ff);
                put(p, rnd, l + "fc2.weight", d, ff);
                put(p, rnd, l + "fc2.bias", d);
                put(p, rnd, l + "final_layer_norm.weight", d);
                put(p, rnd, l + "final_layer_norm.bias", d);
            }
        }
        put(p, rnd, "decoder.output_projection.weight", vocab, d);
        return p;
    }

    private static void put(ParameterMap p, Random rnd, String name, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        p.put(name, shape, v);
    }

    /** Adds a small random update to every parameter (a stand-in for an optimizer step). */
    static void randomStep(ParameterMap p, Random rnd, double scale) {
        for (String name : p.names()) {
            float[] v = p.read(name);
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (rnd.nextGaussian() * scale);
            }
            p.write(name, v);
        }
    }

    static int distinct(float[] v) {
        return (int) java.util.stream.IntStream.range(0, v.length).mapToObj(i -> v[i]).distinct().count();
    }
}
