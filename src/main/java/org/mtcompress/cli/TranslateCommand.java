package org.mtcompress.cli;

import org.mtcompress.compress.Mtcz;
import org.mtcompress.infer.PackedModel;
import org.mtcompress.model.Decoder;
import org.mtcompress.data.SentencePieceVocabulary;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.TrainRun;
import org.mtcompress.util.MtcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mtc translate}: decode a file of source sentences with a checkpoint. */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Translate raw source sentences (one per line) with a checkpoint: batched beam search "
                + "(beam 1 = greedy), GNMT length penalty, max length source + 50; prints detokenized text.",
        footer = {"", "Example:",
                "  ./mtc translate --checkpoint results/runs/multi30k-tiny/RUN/best.mtck --input test.en > hyp.de"})
public final class TranslateCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "a .mtck checkpoint, or a packed model (.mtcz: "
            + "complete with its vocabulary, decoded from its stored forms)")
    Path checkpoint;

    @Option(names = "--input", required = true, description = "source sentences, one per line (UTF-8)")
    Path input;

    @Option(names = "--vocab", description = "SentencePiece model for a .mtck (default: vocab.model beside the checkpoint)")
    Path vocab;

    @Option(names = "--beam", defaultValue = "4", description = "beam size (default: ${DEFAULT-VALUE})")
    int beam;

    @Option(names = "--length-penalty", defaultValue = "0.6", description = "alpha (default: ${DEFAULT-VALUE})")
    double lengthPenalty;

    @Option(names = "--output", description = "write here instead of stdout")
    Path output;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new MtcException("input not found: " + input);
        }
        List<String> src = Files.readAllLines(input, StandardCharsets.UTF_8);
        List<String> hyps;
        if (checkpoint.getFileName().toString().endsWith(".mtcz")) {
            if (vocab != null) {
                throw new MtcException("--vocab: a .mtcz carries its own vocabulary; drop --vocab");
            }
            Mtcz.Contents c = Mtcz.read(checkpoint);
            try (SentencePieceVocabulary v = SentencePieceVocabulary.fromBytes(c.header().vocabModel(),
                    c.header().vocabPieces())) {
                hyps = translatePacked(c, v, src);
            }
        } else {
            Path vocabFile = vocab != null ? vocab : checkpoint.toAbsolutePath().getParent().resolve("vocab.model");
            if (!Files.isRegularFile(vocabFile)) {
                throw new MtcException("vocabulary not found: " + vocabFile + " (give --vocab)");
            }
            Checkpoint ck = Checkpoint.load(checkpoint);
            try (SentencePieceVocabulary v = SentencePieceVocabulary.load(vocabFile)) {
                if (v.size() != ck.vocab().size()) {
                    throw new MtcException(vocabFile + ": vocabulary has " + v.size() + " pieces but the checkpoint was "
                            + "trained with " + ck.vocab().size());
                }
                hyps = TrainRun.translate(ck.toModel(), v, src, beam, lengthPenalty);
            }
        }
        String text = String.join("\n", hyps) + (hyps.isEmpty() ? "" : "\n");
        if (output != null) {
            Files.writeString(output, text, StandardCharsets.UTF_8);
        } else {
            System.out.print(text);
        }
        return 0;
    }

    /**
     * Decodes with the weights in their stored forms ({@link PackedModel}); a model with hash embeddings has no
     * table to keep packed and decodes with the SameDiff model of the decoded parameters.
     */
    private List<String> translatePacked(Mtcz.Contents c, SentencePieceVocabulary v, List<String> src) {
        if (c.header().model().hashEmbedding()) {
            return TrainRun.translate(c.toCheckpoint().toModel(), v, src, beam, lengthPenalty);
        }
        PackedModel m = PackedModel.of(c, true);
        List<int[]> ids = new ArrayList<>();
        int cap = m.maxLength() - 1;
        for (String s : src) {
            int[] e = v.encode(s);
            ids.add(e.length > cap ? Arrays.copyOf(e, cap) : e);
        }
        List<String> out = new ArrayList<>();
        for (int[] o : new Decoder(m, beam, lengthPenalty).translate(ids, Math.max(8, 128 / beam))) {
            out.add(v.decode(o));
        }
        return out;
    }
}
