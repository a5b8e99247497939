package org.mtcompress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;

/** The real Multi30k copy in ../shared: spec, fetch from the mirror, counts, vocabulary determinism and round trip. */
class Multi30kTest {
    @TempDir
    static Path cache;
    static DatasetSpec spec;
    static PreparedData data;

    @BeforeAll
    static void prepare() {
        spec = DatasetSpecs.load(Path.of("configs/data/multi30k.yaml"));
        new Fetcher(cache).progress(false).offline(true)
                .fetch(spec, List.of(TestPaths.shared().resolve("multi30k")));
        data = PreparedData.prepare(spec, cache, 8000, 42);
    }

    @Test
    void countsPerSplit() {
        Path dir = CacheDirs.dataDir(cache, spec);
        assertEquals(29_000, CorpusReader.read(spec.split("train"), dir).size());
        assertEquals(1_014, CorpusReader.read(spec.split("val"), dir).size());
        assertEquals(1_000, CorpusReader.read(spec.split("test_2016_flickr"), dir).size());
        assertEquals(1_000, CorpusReader.read(spec.split("test_2017_flickr"), dir).size());
        assertEquals(1_014, data.valid().text().size());
        assertEquals(2, data.tests().size());
        assertEquals(29_000, data.cleaning().input());
        assertEquals(data.cleaning().kept(), data.train().text().size());
        assertEquals("Zwei junge weiße Männer sind im Freien in der Nähe vieler Büsche.", data.train().text().target().get(0));
    }

    @Test
    void recordsTheSha256OfEveryFileItRead() throws Exception {
        // the files of the spec, by name, with the sha256 of the file in the mirror (what provenance records)
        java.util.Map<String, String> want = new java.util.TreeMap<>();
        for (DataFile f : spec.files()) {
            want.put(f.file(), org.mtcompress.util.Hashing.sha256Hex(TestPaths.shared().resolve("multi30k").resolve(f.file())));
        }
        assertEquals(8, want.size(), want.toString());
        assertEquals(want, new java.util.TreeMap<>(data.files()));
        for (DataFile f : spec.files()) {
            if (f.sha256() != null) {
                assertEquals(f.sha256(), data.files().get(f.file()), "the spec's pinned sha256 of " + f.file());
            }
        }
    }

    @Test
    void vocabularyHasRequestedSizeAndSpecialIds() {
        SentencePieceVocabulary v = data.vocab();
        assertEquals(8000, v.size());
        assertEquals("<pad>", v.piece(v.padId()));
        assertEquals("<unk>", v.piece(v.unkId()));
        assertEquals("<s>", v.piece(v.bosId()));
        assertEquals("</s>", v.piece(v.eosId()));
    }

    @Test
    void roundTripOnEverySentence() {
        SentencePieceVocabulary v = data.vocab();
        List<String> failures = new ArrayList<>();
        List<PreparedData.Split> all = new ArrayList<>(List.of(data.train(), data.valid()));
        all.addAll(data.tests());
        int n = 0;
        for (PreparedData.Split s : all) {
            for (List<String> side : List.of(s.text().source(), s.text().target())) {
                for (String line : side) {
                    n++;
                    if (!line.equals(v.decode(v.encode(line)))) {
                        failures.add(s.name() + ": " + line);
                    }
                }
            }
        }
        assertEquals(2 * (29_000 + 1_014 + 2_000), n);
        assertEquals(List.of(), failures);
        // the cached encodings are the vocabulary's encodings, and unseen characters do not become <unk>
        assertArrayEquals(v.encode(data.valid().text().source().get(3)), data.valid().encoded().source()[3]);
        int[] ids = v.encode("Zwölf Ω-Drachen ☃ tanzen  im Regen.");
        for (int id : ids) {
            assertNotEquals(v.unkId(), id);
        }
        assertEquals("Zwölf Ω-Drachen ☃ tanzen  im Regen.", v.decode(ids));
    }

    @Test
    void vocabularyIsDeterministic(@TempDir Path other) throws Exception {
        PreparedData again = PreparedData.prepare(spec, cache, 8000, 42);
        assertEquals(data.vocab().contentHash(), again.vocab().contentHash());
        // learn it again from scratch in a different folder
        List<String> lines = new ArrayList<>(data.train().text().source());
        lines.addAll(data.train().text().target());
        try (SentencePieceVocabulary fresh = SentencePieceVocabulary.train(lines, 8000, other.resolve("v"),
                SentencePieceVocabulary.DEFAULT_MAX_TRAINING_SENTENCES, 42)) {
            assertEquals(data.vocab().contentHash(), fresh.contentHash());
            assertTrue(Files.size(fresh.modelFile()) > 100_000);
            for (int i = 0; i < 200; i++) {
                String s = data.valid().text().target().get(i);
                assertArrayEquals(data.vocab().encode(s), fresh.encode(s));
            }
        }
    }
}
