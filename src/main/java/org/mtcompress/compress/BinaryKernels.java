package org.mtcompress.compress;

/**
 * Hot loops of the binary compressors, on primitive arrays. Codes are one byte per weight (0 = lower centroid,
 * 1 = upper); a weight goes to the upper centroid when it is strictly above the midpoint.
 */
public final class BinaryKernels {
    private BinaryKernels() {
    }

    /** Assigns each of {@code w} to the nearer of {@code c0 <= c1}; fills codes and the binarized values. */
    public static void assign(float[] w, float c0, float c1, byte[] codes, float[] out) {
        double t = ((double) c0 + c1) / 2;
        for (int i = 0; i < w.length; i++) {
            boolean up = w[i] > t;
            codes[i] = (byte) (up ? 1 : 0);
            out[i] = up ? c1 : c0;
        }
    }

    /**
     * One BS-Flex step: latent += now − written; reassign each latent weight by the midpoint of
     * {@code centroids}; each centroid becomes its members' mean (an empty side keeps its centroid); writes
     * the binarized weights into {@code written}. Two passes, branch-free in the first.
     */
    public static void flexStep(float[] latent, float[] now, float[] written, byte[] codes, float[] centroids) {
        int n = latent.length;
        double t = ((double) centroids[0] + centroids[1]) / 2;
        double sumDown = 0;
        double sumUp = 0;
        int up = 0;
        for (int i = 0; i < n; i++) {
            float l = latent[i] + (now[i] - written[i]);
            latent[i] = l;
            int b = l > t ? 1 : 0;
            codes[i] = (byte) b;
            up += b;
            sumUp += b * l;
            sumDown += (1 - b) * l;
        }
        if (up > 0) {
            centroids[1] = (float) (sumUp / up);
        }
        if (up < n) {
            centroids[0] = (float) (sumDown / (n - up));
        }
        // both means lie on their side of the threshold (an empty side keeps its centroid), so c0 <= c1 still
        float c0 = centroids[0];
        float c1 = centroids[1];
        for (int i = 0; i < n; i++) {
            written[i] = codes[i] != 0 ? c1 : c0;
        }
    }

    /** Plain reference for {@link #flexStep}: the same step written with branches and separate loops. */
    public static void flexStepReference(float[] latent, float[] now, float[] written, byte[] codes, float[] centroids) {
        int n = latent.length;
        for (int i = 0; i < n; i++) {
            latent[i] = latent[i] + (now[i] - written[i]);
        }
        double t = ((double) centroids[0] + centroids[1]) / 2;
        double s0 = 0;
        double s1 = 0;
        int n0 = 0;
        int n1 = 0;
        for (int i = 0; i < n; i++) {
            if (latent[i] > t) {
                codes[i] = 1;
                s1 += latent[i];
                n1++;
            } else {
                codes[i] = 0;
                s0 += latent[i];
                n0++;
            }
        }
        if (n1 > 0) {
            centroids[1] = (float) (s1 / n1);
        }
        if (n0 > 0) {
            centroids[0] = (float) (s0 / n0);
        }
        for (int i = 0; i < n; i++) {
            written[i] = codes[i] == 1 ? centroids[1] : centroids[0];
        }
    }

    /** One fixed-centroid step: latent += now − written; reassign by the fixed midpoint; write binarized values. */
    public static void fixedStep(float[] latent, float[] now, float[] written, byte[] codes, float c0, float c1) {
        double t = ((double) c0 + c1) / 2;
        for (int i = 0; i < latent.length; i++) {
            float l = latent[i] + (now[i] - written[i]);
            latent[i] = l;
            boolean up = l > t;
            codes[i] = (byte) (up ? 1 : 0);
            written[i] = up ? c1 : c0;
        }
    }
}
