package org.mtcompress.data;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.Hashing;
import org.mtcompress.util.MtcException;

/**
 * A joint BPE subword vocabulary learned with SentencePiece.
 *
 * <p>Why SentencePiece: there is no maintained pure-Java subword trainer, and SentencePiece is what the
 * field uses for WMT models; Debian's {@code spm_train} (0.1.97) learns BPE 8k on Multi30k in seconds and gives the
 * same vocabulary on every run, and DJL's binding ({@code ai.djl.sentencepiece}, natives bundled in the jar) loads
 * the model and encodes/decodes from Java through the same C++ library, so training and use cannot disagree.
 * A hand-written BPE would be slower to encode and one more thing to get exactly right.
 *
 * <p>Exact round trip: the model is trained with identity normalization (no NFKC), with whitespace kept as it is
 * ({@code --remove_extra_whitespaces=false}) and with byte fallback (characters never seen in training become
 * UTF-8 byte pieces instead of {@code <unk>}), so {@code decode(encode(s)) == s} for any text without U+2581 (the
 * character SentencePiece uses to mark spaces) and without a leading space before the first word that encodes
 * to nothing else. Ids: pad 0, unk 1, bos 2, eos 3.
 *
 * <p>Files: {@code spm.model} (the SentencePiece model) and {@code spm.vocab} (piece and score per line, in id
 * order). The content hash is the sha256 of {@code spm.vocab}, which is identical across runs for the same input
 * and size (the {@code .model} bytes also record the paths used in training).
 */
public final class SentencePieceVocabulary implements Vocabulary, AutoCloseable {
    public static final int PAD = 0;
    public static final int UNK = 1;
    public static final int BOS = 2;
    public static final int EOS = 3;
    /** Default number of sentences {@code spm_train} samples when the training text is larger. */
    public static final int DEFAULT_MAX_TRAINING_SENTENCES = 2_000_000;
    /** Bumped when the training flags change, so cached vocabularies are not reused across versions. */
    public static final String FLAGS_VERSION = "bpe-identity-bytefallback-v1";

    private final SpTokenizer tokenizer;
    private final SpProcessor processor;
    private final String[] pieces;
    private final String hash;
    private final Path modelFile;

    private SentencePieceVocabulary(Path modelFile) throws IOException {
        this.modelFile = modelFile;
        Path vocabFile = vocabFileOf(modelFile);
        byte[] vocabBytes = Files.readAllBytes(vocabFile);
        List<String> ps = new ArrayList<>();
        for (String line : TextReader.splitLines(new java.io.ByteArrayInputStream(vocabBytes))) {
            int tab = line.lastIndexOf('\t');
            ps.add(tab < 0 ? line : line.substring(0, tab));
        }
        this.pieces = ps.toArray(new String[0]);
        this.hash = Hashing.sha256Hex(vocabBytes);
        this.tokenizer = new SpTokenizer(Files.readAllBytes(modelFile));
        this.processor = tokenizer.getProcessor();
    }

    /** Loads {@code spm.model} and its {@code spm.vocab} beside it. */
    public static SentencePieceVocabulary load(Path modelFile) {
        try {
            return new SentencePieceVocabulary(modelFile);
        } catch (IOException e) {
            throw new MtcException("cannot load vocabulary " + modelFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * A vocabulary from the bytes of its two files (as a {@code .mtcz} carries them): they are written to a
     * temporary folder, loaded, and the folder removed ({@link #modelFile()} then names a file that is gone).
     */
    public static SentencePieceVocabulary fromBytes(byte[] model, byte[] vocab) {
        try {
            Path dir = Files.createTempDirectory("mtc-vocab-");
            try {
                Files.write(dir.resolve("spm.model"), model);
                Files.write(dir.resolve("spm.vocab"), vocab);
                return new SentencePieceVocabulary(dir.resolve("spm.model"));
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new MtcException("cannot load the embedded vocabulary: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MtcException("cannot load the embedded vocabulary: " + e.getMessage(), e);
        }
    }

    /** The piece list file ({@code spm.vocab}) beside a SentencePiece model file. */
    public static Path piecesFileOf(Path modelFile) {
        return vocabFileOf(modelFile);
    }

    private static Path vocabFileOf(Path modelFile) {
        String n = modelFile.getFileName().toString();
        return modelFile.resolveSibling(n.substring(0, n.length() - ".model".length()) + ".vocab");
    }

    public Path modelFile() {
        return modelFile;
    }

    /**
     * Learns a vocabulary of {@code size} pieces from {@code lines} (source and target sentences together) with
     * {@code spm_train}, writing {@code spm.model} and {@code spm.vocab} into {@code outDir}, and loads it.
     *
     * @param maxSentences how many lines {@code spm_train} samples (with {@code seed}) when there are more
     */
    public static SentencePieceVocabulary train(Collection<String> lines, int size, Path outDir, int maxSentences, long seed) {
        try {
            Files.createDirectories(outDir);
            Path work = Files.createTempDirectory(outDir, ".spm-train-");
            try {
                Path input = work.resolve("train.txt");
                try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
                    for (String l : lines) {
                        w.write(l);
                        w.write('\n');
                    }
                }
                List<String> cmd = List.of(spmTrain(), "--input=train.txt", "--model_prefix=spm",
                        "--vocab_size=" + size, "--model_type=bpe", "--character_coverage=1.0",
                        "--normalization_rule_name=identity", "--remove_extra_whitespaces=false",
                        "--add_dummy_prefix=true", "--byte_fallback=true", "--split_digits=false",
                        "--pad_id=" + PAD, "--unk_id=" + UNK, "--bos_id=" + BOS, "--eos_id=" + EOS,
                        "--input_sentence_size=" + maxSentences, "--shuffle_input_sentence=true",
                        "--max_sentence_length=16384", "--random_seed=" + Integer.toUnsignedString((int) seed),
                        "--num_threads=" + Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
                        "--minloglevel=2");
                Path log = work.resolve("spm_train.log");
                Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (!p.waitFor(2, TimeUnit.HOURS)) {
                    p.destroyForcibly();
                    throw new MtcException("spm_train did not finish within 2 hours");
                }
                if (p.exitValue() != 0) {
                    List<String> out = Files.readAllLines(log);
                    String last = out.isEmpty() ? "" : out.get(out.size() - 1);
                    throw new MtcException("spm_train failed (exit " + p.exitValue() + ", vocab size " + size + "): " + last);
                }
                Path model = outDir.resolve("spm.model");
                AtomicFiles.writeBytes(outDir.resolve("spm.vocab"), Files.readAllBytes(work.resolve("spm.vocab")));
                AtomicFiles.writeBytes(model, Files.readAllBytes(work.resolve("spm.model")));
                return load(model);
            } finally {
                deleteTree(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("training the vocabulary in " + outDir + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MtcException("interrupted while training the vocabulary", e);
        }
    }

    /** The command that installs {@code spm_train}, as the error message names it. */
    static final String INSTALL_COMMAND = "sudo apt-get install -y --no-install-recommends sentencepiece";

    /**
     * The {@code spm_train} program: {@code $SPM_TRAIN}, else {@code spm_train} on the PATH. When it is missing and
     * mtcompress runs from its launcher (system property {@code mtc.root}), {@code scripts/install-sentencepiece.sh}
     * installs Debian's package where this process may (root, or sudo without a password) and says so in one line.
     *
     * @throws MtcException (exit code 2) naming the command to run, when it is missing and cannot be installed here
     */
    static String spmTrain() {
        String env = System.getenv("SPM_TRAIN");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String found = onPath();
        if (found != null) {
            return found;
        }
        String failure = install();
        found = onPath();
        if (found != null) {
            return found;
        }
        throw new MtcException("spm_train (Debian package sentencepiece) is needed to learn the subword vocabulary "
                + "and is not on the PATH" + (failure == null ? "" : " (" + failure + ")") + "; install it with: "
                + INSTALL_COMMAND + " (or set SPM_TRAIN to its path)");
    }

    private static String onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "spm_train"))) {
                return Path.of(dir, "spm_train").toString();
            }
        }
        return null;
    }

    /** Runs the launcher's installer if there is one; returns why it failed, or null (installed, or not allowed). */
    private static String install() {
        String root = System.getProperty("mtc.root");
        Path script = root == null ? null : Path.of(root, "scripts", "install-sentencepiece.sh");
        if (script == null || !Files.isRegularFile(script)) {
            return null;
        }
        try {
            Path log = Files.createTempFile("mtc-install-sentencepiece", ".log");
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("MTC_INSTALL_LOG", log.toString());
            int rc = pb.start().waitFor();
            if (rc == 1) {
                return "installing it failed, see " + log;
            }
            Files.deleteIfExists(log);
            return null;
        } catch (IOException e) {
            return "cannot run " + script + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MtcException("interrupted while installing sentencepiece", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public int size() {
        return pieces.length;
    }

    @Override
    public int padId() {
        return PAD;
    }

    @Override
    public int unkId() {
        return UNK;
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int eosId() {
        return EOS;
    }

    @Override
    public int[] encode(String text) {
        return processor.encode(text);
    }

    @Override
    public String decode(int[] ids) {
        int n = 0;
        for (int id : ids) {
            if (id != PAD && id != BOS && id != EOS) {
                n++;
            }
        }
        int[] kept = ids;
        if (n != ids.length) {
            kept = new int[n];
            int j = 0;
            for (int id : ids) {
                if (id != PAD && id != BOS && id != EOS) {
                    kept[j++] = id;
                }
            }
        }
        return processor.decode(kept);
    }

    @Override
    public String piece(int id) {
        return pieces[id];
    }

    @Override
    public String contentHash() {
        return hash;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
