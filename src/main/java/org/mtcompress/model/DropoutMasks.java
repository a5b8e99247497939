package org.mtcompress.model;

import org.mtcompress.data.Batch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The dropout sites of the training graph and their masks. Dropout is a product with a mask placeholder filled
 * here: SameDiff M2.1's dropout ops have no derivative, and masks drawn from our own seed make resumption exact.
 */
final class DropoutMasks {
    private final double p;
    private final int d;
    /** Sites in build order: true = over source rows, false = target rows. */
    private final List<Boolean> sites = new ArrayList<>();

    /** Masks of width {@code d} that drop with probability {@code p}. */
    DropoutMasks(double p, int d) {
        this.p = p;
        this.d = d;
    }

    /** Adds a site over source ({@code true}) or target rows and returns the name of its mask placeholder. */
    String addSite(boolean sourceRows) {
        String name = name(sites.size());
        sites.add(sourceRows);
        return name;
    }

    /** Forgets the sites (the training graph that had them is gone). */
    void clear() {
        sites.clear();
    }

    private static String name(int site) {
        return "dropout_mask_" + site;
    }

    /** Inverted-dropout masks (0 or 1/(1-p)) for every site, drawn from {@code seed}. */
    Map<String, INDArray> draw(Batch batch, long seed) {
        Map<String, INDArray> out = new HashMap<>();
        if (p <= 0) {
            return out;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float scale = (float) (1 / (1 - p));
        // each unit is kept when a 16-bit uniform number is below keep * 2^16: four units per 64 random bits (one
        // nextFloat per unit took ~65 ms a small step); the keep probability is exact to 1/65536
        long keep16 = Math.round((1 - p) * 65536);
        int srcRows = batch.rows() * batch.source()[0].length, tgtRows = batch.rows() * batch.target()[0].length;
        // one generator per site, split in site order, so the masks do not depend on which thread fills which
        SplittableRandom[] site = new SplittableRandom[sites.size()];
        INDArray[] masks = new INDArray[site.length];
        for (int i = 0; i < site.length; i++) {
            site[i] = rng.split();
            // written straight into the native buffer: a Java array per mask made 36 MB of short-lived humongous
            // objects a small step, whose fresh pages cost more than drawing the numbers
            masks[i] = Nd4j.createUninitialized(DataType.FLOAT, sites.get(i) ? srcRows : tgtRows, d);
        }
        java.util.stream.IntStream.range(0, site.length).parallel().forEach(i -> {
            FloatBuffer m = masks[i].data().asNioFloat();
            int n = (int) masks[i].length();
            for (int k = 0; k < n; k += 4) {
                long bits = site[i].nextLong();
                for (int j = k; j < Math.min(n, k + 4); j++, bits >>>= 16) {
                    m.put(j, (bits & 0xFFFF) < keep16 ? scale : 0f);
                }
            }
        });
        for (int i = 0; i < site.length; i++) {
            out.put(name(i), masks[i]);
        }
        return out;
    }
}
