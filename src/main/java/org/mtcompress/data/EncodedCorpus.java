package org.mtcompress.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.MtcException;

/**
 * Subword ids of a parallel corpus, one row per segment, without BOS/EOS ({@link Batcher} adds EOS).
 *
 * @param source source ids per segment
 * @param target target ids per segment
 */
public record EncodedCorpus(int[][] source, int[][] target) {
    private static final int MAGIC = 0x4D54_4345; // "MTCE"

    public EncodedCorpus {
        if (source.length != target.length) {
            throw new IllegalArgumentException("source has " + source.length + " rows, target " + target.length);
        }
    }

    public int size() {
        return source.length;
    }

    /** Encodes every segment of {@code text} with {@code vocab}. */
    public static EncodedCorpus encode(ParallelText text, Vocabulary vocab) {
        return new EncodedCorpus(encodeAll(text.source(), vocab), encodeAll(text.target(), vocab));
    }

    private static int[][] encodeAll(List<String> lines, Vocabulary vocab) {
        int[][] out = new int[lines.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vocab.encode(lines.get(i));
        }
        return out;
    }

    /** Writes the ids to {@code file} (atomically): magic, rows, then per row its length and ids, source then target. */
    public void write(Path file) {
        AtomicFiles.write(file, os -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(size());
            for (int[][] side : new int[][][] {source, target}) {
                for (int[] row : side) {
                    out.writeInt(row.length);
                    for (int id : row) {
                        out.writeInt(id);
                    }
                }
            }
            out.flush();
        });
    }

    public static EncodedCorpus read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new MtcException(file + ": not an encoded corpus file");
            }
            int n = in.readInt();
            int[][][] sides = new int[2][n][];
            for (int[][] side : sides) {
                for (int i = 0; i < n; i++) {
                    int[] row = new int[in.readInt()];
                    for (int j = 0; j < row.length; j++) {
                        row[j] = in.readInt();
                    }
                    side[i] = row;
                }
            }
            return new EncodedCorpus(sides[0], sides[1]);
        } catch (IOException e) {
            throw new MtcException("cannot read encoded corpus " + file + ": " + e.getMessage(), e);
        }
    }
}
