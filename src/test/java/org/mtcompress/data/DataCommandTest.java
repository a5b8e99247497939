package org.mtcompress.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.cli.Main;
import org.mtcompress.config.ConfigException;
import org.mtcompress.util.MtcException;

class DataCommandTest {
    @TempDir
    Path tmp;

    @Test
    void fetchFromMirrorThenStatsWork() {
        String cache = tmp.resolve("c").toString();
        assertEquals(0, Main.execute("data", "fetch", "multi30k", "--offline", "--cache", cache,
                "--mirror", TestPaths.shared().resolve("multi30k").toString()));
        assertTrue(Files.isRegularFile(tmp.resolve("c/data/multi30k/train.en.gz")));
        assertEquals(0, Main.execute("data", "stats", "multi30k", "--cache", cache));
    }

    @Test
    void offlineWithMissingFilesExitsTwo() {
        // wmt14's training archives are in no mirror here
        assertEquals(2, Main.execute("data", "fetch", "wmt14-en-de", "--offline", "--cache", tmp.resolve("c").toString()));
        assertEquals(2, Main.execute("data", "stats", "no-such-set", "--cache", tmp.resolve("c").toString()));
    }

    @Test
    void unknownKeyInASpecNamesTheFile() throws IOException {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of("configs/data/multi30k.yaml")).replace("vocab_size:", "vocab_sise:"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> DatasetSpecs.load(bad));
        assertTrue(e instanceof MtcException || e instanceof ConfigException, e.toString());
        assertTrue(e.getMessage().contains("bad.yaml") && e.getMessage().contains("vocab_sise"), e.getMessage());
    }
}
