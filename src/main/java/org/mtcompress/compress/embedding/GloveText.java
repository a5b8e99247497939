package org.mtcompress.compress.embedding;

import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.MtcException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Word vectors in GloVe text format: one word per line, the word then its values, separated by spaces, no
 * header line. Every row must have the same number of values; a ragged row, a value that is not a finite
 * number or an empty file is an error naming the file and the line.
 */
public final class GloveText {
    private GloveText() {
    }

    /** Words and their vectors, row-major in {@code values} ({@code words.size() * dim} floats). */
    public record Vectors(List<String> words, int dim, float[] values) {
        public Vectors {
            words = List.copyOf(words);
            if ((long) words.size() * dim != values.length) {
                throw new IllegalArgumentException(words.size() + " words of " + dim + " values need "
                        + ((long) words.size() * dim) + " floats, got " + values.length);
            }
        }
    }

    /** Reads a whole file; blank lines are skipped. */
    public static Vectors read(Path file) {
        List<String> words = new ArrayList<>();
        float[] values = new float[1024];
        int size = 0;
        int dim = -1;
        int firstLine = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] parts = trimmed.split("[ \t]+");
                int n = parts.length - 1;
                if (n == 0) {
                    throw new MtcException(file + ":" + lineNo + ": word '" + parts[0] + "' has no values");
                }
                if (dim < 0) {
                    dim = n;
                    firstLine = lineNo;
                } else if (n != dim) {
                    String hint = words.size() == 1 && dim == 1 && parts.length > 2
                            && words.get(0).matches("\\d+") ? " (line " + firstLine
                            + " looks like a word2vec header 'count dim'; GloVe text format has none: remove it)" : "";
                    throw new MtcException(file + ":" + lineNo + ": expected " + dim + " values (as on line "
                            + firstLine + "), found " + n + hint);
                }
                if (size + n > values.length) {
                    values = Arrays.copyOf(values, Math.max(size + n, values.length * 2));
                }
                for (int k = 1; k <= n; k++) {
                    values[size++] = parse(parts[k], file, lineNo, k);
                }
                words.add(parts[0]);
            }
        } catch (NoSuchFileException e) {
            throw new MtcException("input file not found: " + file);
        } catch (CharacterCodingException e) {
            throw new MtcException(file + ": not valid UTF-8");
        } catch (IOException e) {
            throw new MtcException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (words.isEmpty()) {
            throw new MtcException(file + ": no vectors (empty file)");
        }
        return new Vectors(words, dim, Arrays.copyOf(values, size));
    }

    private static float parse(String token, Path file, int line, int column) {
        float v;
        try {
            v = Float.parseFloat(token);
        } catch (NumberFormatException e) {
            throw new MtcException(file + ":" + line + ": value " + column + " '" + token + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw new MtcException(file + ":" + line + ": value " + column + " '" + token + "' is not finite");
        }
        return v;
    }

    /** Writes {@code vectors} atomically, each value in its shortest exact decimal form. */
    public static void write(Path file, Vectors vectors) {
        AtomicFiles.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            int dim = vectors.dim();
            float[] v = vectors.values();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < vectors.words().size(); i++) {
                sb.setLength(0);
                sb.append(vectors.words().get(i));
                for (int k = 0; k < dim; k++) {
                    sb.append(' ').append(v[i * dim + k]);
                }
                sb.append('\n');
                w.write(sb.toString());
            }
            w.flush();
        });
    }
}
