package org.mtcompress.compress;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.util.Hashing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** {@code .mtcz} headers for tests that only look at parameters: the tiny config, a stand-in vocabulary. */
public final class TestHeaders {
    private TestHeaders() {
    }

    public static Mtcz.Header of(ModelConfig cfg, int vocabSize) {
        byte[] pieces = "<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\n".getBytes(StandardCharsets.UTF_8);
        return new Mtcz.Header(cfg, new Checkpoint.Vocab(vocabSize, 0, 2, 3, Hashing.sha256Hex(pieces)),
                "stand-in model".getBytes(StandardCharsets.UTF_8), pieces, List.of(), Map.of("source", "test"));
    }

    public static Mtcz.Header tiny() {
        return of(ModelConfig.tiny(), 100);
    }
}
