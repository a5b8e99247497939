package org.mtcompress.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mtcompress.bench.VocabBench;
import org.mtcompress.data.CacheDirs;
import org.mtcompress.data.Cleaner;
import org.mtcompress.data.CorpusReader;
import org.mtcompress.data.DataStats;
import org.mtcompress.data.DatasetSpec;
import org.mtcompress.data.DatasetSpecs;
import org.mtcompress.data.Fetcher;
import org.mtcompress.data.ParallelText;
import org.mtcompress.data.PreparedData;
import org.mtcompress.data.SplitRole;
import org.mtcompress.data.SplitSpec;
import org.mtcompress.util.MtcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtc data fetch|stats|vocab|bench NAME}: corpora, their statistics and the subword vocabulary. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Fetch data sets (configs/data/NAME.yaml), show statistics, learn the subword vocabulary.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Stats.class, DataCommand.Vocab.class, DataCommand.Bench.class},
        footer = {"", "Examples:", "  ./mtc data fetch multi30k --mirror ../shared/multi30k",
                "  ./mtc data stats multi30k", "  ./mtc data vocab multi30k --size 8000"})
public final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options shared by the data verbs. */
    static class Common {
        @Parameters(index = "0", description = "data set: a name in configs/data (multi30k, wmt14-en-de) or a .yaml file")
        String name;

        @Option(names = "--mirror", paramLabel = "DIR", description = "folder searched for the files before the spec's mirrors and the URLs (repeatable)")
        List<Path> mirrors = new ArrayList<>();

        @Option(names = "--cache", paramLabel = "DIR", description = "cache folder (default: $MTC_CACHE or ~/.cache/mtcompress)")
        Path cache;

        DatasetSpec spec() {
            return DatasetSpecs.load(name);
        }

        Path cacheDir() {
            return CacheDirs.resolve(cache);
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Put a data set's files into the cache: mirror folders first, then download (resumable, "
                    + "retried), each checked against its pinned sha256."},
            footer = {"", "Example:", "  ./mtc data fetch multi30k --mirror ../shared/multi30k"})
    static final class Fetch extends Common implements Callable<Integer> {
        @Option(names = "--offline", description = "never download; use only the cache and mirror folders")
        boolean offline;

        @Option(names = "--retries", description = "download attempts per file (default: ${DEFAULT-VALUE})")
        int retries = 5;

        @Override
        public Integer call() {
            DatasetSpec s = spec();
            Fetcher.Result r = new Fetcher(cacheDir()).offline(offline).maxAttempts(retries).fetch(s, mirrors);
            System.out.printf("%-40s %-8s %s%n", "file", "sha256", "from");
            for (Fetcher.FileResult f : r.files()) {
                System.out.printf("%-40s %-8s %s%n", f.file().file(), f.pinned() ? "ok" : "unpinned", f.origin());
            }
            System.out.println("data set " + s.name() + ": " + r.files().size() + " files in " + r.dataDir());
            return 0;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Segments, words per segment, distinct words and length percentiles (words) of every split.",
            footer = {"", "Example:", "  ./mtc data stats multi30k"})
    static final class Stats extends Common implements Callable<Integer> {
        @Override
        public Integer call() {
            DatasetSpec s = spec();
            Path dir = new Fetcher(cacheDir()).offline(true).fetch(s, mirrors).dataDir();
            List<DataStats> rows = new ArrayList<>();
            String cleaning = null;
            for (SplitSpec split : s.splits()) {
                ParallelText t = CorpusReader.read(split, dir);
                rows.add(DataStats.of(split.name(), s.sourceLang(), t.source()));
                rows.add(DataStats.of(split.name(), s.targetLang(), t.target()));
                if (split.role() == SplitRole.TRAIN) {
                    Cleaner.Result c = Cleaner.clean(t, s.cleaning());
                    cleaning = "train cleaning " + s.cleaning() + ": " + c.report();
                    if (c.report().kept() < c.report().input()) {
                        rows.add(DataStats.of(split.name() + " (cleaned)", s.sourceLang(), c.text().source()));
                        rows.add(DataStats.of(split.name() + " (cleaned)", s.targetLang(), c.text().target()));
                    }
                }
            }
            System.out.println("data set " + s.name() + " (" + dir + "); lengths in whitespace-separated words");
            System.out.print(DataStats.table(rows));
            if (cleaning != null) {
                System.out.println(cleaning);
            }
            return 0;
        }
    }

    @Command(name = "vocab", mixinStandardHelpOptions = true,
            description = {"Learn (or load from the cache) the joint BPE vocabulary of a data set, encode every split "
                    + "and check decode(encode(s)) == s on every segment."},
            footer = {"", "Example:", "  ./mtc data vocab multi30k --size 8000"})
    static final class Vocab extends Common implements Callable<Integer> {
        @Option(names = "--size", description = "vocabulary size (default: the spec's vocab_size)")
        Integer size;

        @Option(names = "--seed", defaultValue = org.mtcompress.config.DataConfig.VOCAB_SEED_DEFAULT,
                description = "seed of the learner's sentence sampling, as a run's data.vocab_seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() {
            DatasetSpec s = spec();
            new Fetcher(cacheDir()).offline(true).fetch(s, mirrors);
            long t0 = System.nanoTime();
            PreparedData d = PreparedData.prepare(s, cacheDir(), size == null ? s.vocabSize() : size, seed);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.println("vocabulary: " + d.vocab().modelFile() + " (" + d.vocab().size() + " pieces, hash "
                    + d.vocab().contentHash().substring(0, 16) + ", prepared in " + String.format("%.1f", secs) + " s)");
            System.out.println("train: " + d.cleaning());
            List<PreparedData.Split> all = new ArrayList<>(List.of(d.train(), d.valid()));
            all.addAll(d.tests());
            int bad = 0;
            System.out.printf("%-20s %10s %12s %12s %10s%n", "split", "segments", "src ids", "tgt ids", "roundtrip");
            for (PreparedData.Split sp : all) {
                long si = 0;
                long ti = 0;
                int fails = 0;
                for (int i = 0; i < sp.text().size(); i++) {
                    si += sp.encoded().source()[i].length;
                    ti += sp.encoded().target()[i].length;
                    for (String line : List.of(sp.text().source().get(i), sp.text().target().get(i))) {
                        if (!line.equals(d.vocab().decode(d.vocab().encode(line)))) {
                            if (bad + fails < 10) {
                                System.out.println("round-trip exception in " + sp.name() + ": " + line);
                            }
                            fails++;
                        }
                    }
                }
                bad += fails;
                System.out.printf("%-20s %,10d %,12d %,12d %10s%n", sp.name(), sp.text().size(), si, ti,
                        fails == 0 ? "exact" : fails + " differ");
            }
            if (bad > 0) {
                throw new MtcException(bad + " segment(s) do not round-trip through the vocabulary", 1, null);
            }
            return 0;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = {"Benchmark the subword vocabulary: learn it on the training split, then encode N sentences "
                    + "on one thread (targets on multi30k: learn 8k < 30 s, encode >= 20,000 sentences/s)."},
            footer = {"", "Example:", "  ./mtc data bench multi30k --size 8000 --sentences 1000000"})
    static final class Bench extends Common implements Callable<Integer> {
        @Option(names = "--size", description = "vocabulary size (default: the spec's vocab_size)")
        Integer size;

        @Option(names = "--sentences", description = "sentences to encode (default: ${DEFAULT-VALUE})")
        long sentences = 1_000_000;

        @Override
        public Integer call() throws Exception {
            DatasetSpec s = spec();
            Path dir = new Fetcher(cacheDir()).offline(true).fetch(s, mirrors).dataDir();
            ParallelText train = Cleaner.clean(CorpusReader.read(s.train(), dir), s.cleaning()).text();
            Path scratch = cacheDir().resolve("tmp");
            java.nio.file.Files.createDirectories(scratch);
            VocabBench.Result r = VocabBench.run(train, size == null ? s.vocabSize() : size, sentences, scratch);
            System.out.println("vocabulary benchmark on " + s.name() + " (" + Runtime.getRuntime().availableProcessors()
                    + " cores visible; timings are wall clock)");
            System.out.print(r.table());
            return 0;
        }
    }
}
