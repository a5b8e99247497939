package org.mtcompress.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mtcompress.config.DataConfig;
import org.mtcompress.util.Hashing;

/**
 * A data set ready for training and evaluation: the joint vocabulary, and every split as raw text (the BLEU
 * references) plus subword ids. The training split is cleaned ({@link #cleaning()} says what was dropped);
 * validation and test splits are complete.
 *
 * <p>Built by {@link #prepare}: the files come from the cache (fetched there, or copied from the spec's mirror
 * folders), the vocabulary is learned once per (training text, size) and cached under {@code CACHE/vocab/KEY/},
 * and encoded splits are cached under {@code CACHE/encoded/KEY.bin}, keyed by the split text's sha256 and the
 * vocabulary's content hash.
 *
 * @param spec     the data set spec
 * @param vocab    the joint subword vocabulary
 * @param train    the cleaned training split
 * @param valid    the validation split
 * @param tests    the test splits, in spec order
 * @param cleaning what cleaning dropped from the training split
 * @param files    the sha256 of every data file read, by file name (what a run's provenance records)
 */
public record PreparedData(DatasetSpec spec, SentencePieceVocabulary vocab, Split train, Split valid, List<Split> tests,
                           Cleaner.Report cleaning, Map<String, String> files) {

    /**
     * One split.
     *
     * @param name     split name from the spec
     * @param role     train, valid or test
     * @param text     raw segments (references for BLEU)
     * @param encoded  subword ids of {@code text}
     * @param textHash sha256 of the text (source lines then target lines, each followed by {@code \n})
     */
    public record Split(String name, SplitRole role, ParallelText text, EncodedCorpus encoded, String textHash) {
    }

    /** {@link #prepare(DatasetSpec, Path, int, long)} with the spec's vocabulary size and the default sampling seed. */
    public static PreparedData prepare(DatasetSpec spec, Path cacheDir) {
        return prepare(spec, cacheDir, spec.vocabSize(), Long.parseLong(DataConfig.VOCAB_SEED_DEFAULT));
    }

    /** The data of a run's {@code data:} section: its dataset, cache folder, vocabulary size and seed, mirrors. */
    public static PreparedData prepare(DataConfig data) {
        return prepare(DatasetSpecs.load(data.dataset()),
                CacheDirs.resolve(data.cacheDir() == null ? null : Path.of(data.cacheDir())),
                data.vocabSize(), data.vocabSeed(), data.mirrors().stream().map(Path::of).toList());
    }

    /**
     * Fetches (from the cache, then the spec's mirror folders, then the URLs), cleans, learns or loads the
     * vocabulary and encodes every split.
     *
     * @param seed seed of {@code spm_train}'s sentence sampling; it only matters when the training text has more
     *             than {@link SentencePieceVocabulary#DEFAULT_MAX_TRAINING_SENTENCES} lines (source + target)
     */
    public static PreparedData prepare(DatasetSpec spec, Path cacheDir, int vocabSize, long seed) {
        return prepare(spec, cacheDir, vocabSize, seed, List.of());
    }

    /** As {@link #prepare(DatasetSpec, Path, int, long)}, looking in {@code extraMirrors} before the spec's own. */
    public static PreparedData prepare(DatasetSpec spec, Path cacheDir, int vocabSize, long seed, List<Path> extraMirrors) {
        Fetcher.Result fetched = new Fetcher(cacheDir).fetch(spec, extraMirrors);
        Path dataDir = fetched.dataDir();
        Map<String, String> files = new TreeMap<>();
        fetched.files().forEach(f -> files.put(f.file().file(), f.sha256()));
        ParallelText rawTrain = CorpusReader.read(spec.train(), dataDir);
        Cleaner.Result cleaned = Cleaner.clean(rawTrain, spec.cleaning());
        ParallelText trainText = cleaned.text();
        String trainHash = textHash(trainText);
        SentencePieceVocabulary vocab = vocabulary(trainText, trainHash, vocabSize, seed, cacheDir);
        Split train = split(spec.train(), trainText, trainHash, vocab, cacheDir);
        Split valid = split(spec.valid(), CorpusReader.read(spec.valid(), dataDir), null, vocab, cacheDir);
        List<Split> tests = new ArrayList<>();
        for (SplitSpec t : spec.tests()) {
            tests.add(split(t, CorpusReader.read(t, dataDir), null, vocab, cacheDir));
        }
        return new PreparedData(spec, vocab, train, valid, List.copyOf(tests), cleaned.report(), Map.copyOf(files));
    }

    /** The vocabulary for a training text and size: loaded from the cache, or learned and stored there. */
    public static SentencePieceVocabulary vocabulary(ParallelText trainText, String trainHash, int vocabSize, long seed,
            Path cacheDir) {
        String key = Hashing.sha256Hex(SentencePieceVocabulary.FLAGS_VERSION + "|" + trainHash + "|" + vocabSize + "|"
                + SentencePieceVocabulary.DEFAULT_MAX_TRAINING_SENTENCES + "|" + seed).substring(0, 20);
        Path dir = cacheDir.resolve("vocab").resolve("bpe" + vocabSize + "-" + key);
        Path model = dir.resolve("spm.model");
        if (Files.isRegularFile(model) && Files.isRegularFile(dir.resolve("spm.vocab"))) {
            return SentencePieceVocabulary.load(model);
        }
        List<String> lines = new ArrayList<>(trainText.size() * 2);
        lines.addAll(trainText.source());
        lines.addAll(trainText.target());
        return SentencePieceVocabulary.train(lines, vocabSize, dir,
                SentencePieceVocabulary.DEFAULT_MAX_TRAINING_SENTENCES, seed);
    }

    private static Split split(SplitSpec spec, ParallelText text, String hash, Vocabulary vocab, Path cacheDir) {
        String h = hash != null ? hash : textHash(text);
        Path file = cacheDir.resolve("encoded").resolve(Hashing.sha256Hex(h + "|" + vocab.contentHash()).substring(0, 32) + ".bin");
        EncodedCorpus enc;
        if (Files.isRegularFile(file)) {
            enc = EncodedCorpus.read(file);
            if (enc.size() != text.size()) {
                enc = EncodedCorpus.encode(text, vocab);
                enc.write(file);
            }
        } else {
            enc = EncodedCorpus.encode(text, vocab);
            enc.write(file);
        }
        return new Split(spec.name(), spec.role(), text, enc, h);
    }

    /** sha256 of the source lines then the target lines, each followed by {@code \n}. */
    public static String textHash(ParallelText text) {
        MessageDigest md = Hashing.sha256();
        for (List<String> side : List.of(text.source(), text.target())) {
            for (String s : side) {
                md.update(s.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A split by name (train, valid or one of the tests). */
    public Split split(String name) {
        if (train.name().equals(name)) {
            return train;
        }
        if (valid.name().equals(name)) {
            return valid;
        }
        return tests.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no split " + name + " in " + spec.name()));
    }
}
