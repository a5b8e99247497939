package org.mtcompress.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the PyTorch peer benchmark ({@code ../shared/bench/torch_transformer_train.py}) on the shape of one of our
 * models and returns its target tokens per second. The child inherits this process's environment, so both sides run
 * with the launcher's thread and allocator settings (they move PyTorch's number by up to 1.8x on a 2-core VM).
 */
final class PeerBench {
    private PeerBench() {
    }

    static double run(String python, Path script, ModelConfig mc, int vocab, int batch, int length, int steps, int threads) {
        if (mc.encoderLayers() != mc.decoderLayers()) {
            throw new MtcException("--peer: the peer has one layer count for encoder and decoder, the model has "
                    + mc.encoderLayers() + " and " + mc.decoderLayers());
        }
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(),
                "--d-model", String.valueOf(mc.dModel()), "--heads", String.valueOf(mc.heads()),
                "--ffn", String.valueOf(mc.ffnDim()), "--layers", String.valueOf(mc.encoderLayers()),
                "--vocab", String.valueOf(vocab), "--batch", String.valueOf(batch), "--src-len", String.valueOf(length),
                "--tgt-len", String.valueOf(length), "--steps", String.valueOf(steps), "--threads", String.valueOf(threads),
                "--dropout", String.valueOf(mc.dropout())));
        String out;
        int rc;
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            rc = p.waitFor();
        } catch (IOException e) {
            throw new MtcException("--peer: cannot run " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MtcException("--peer: interrupted");
        }
        String[] lines = out.strip().split("\n");
        String last = lines[lines.length - 1];
        if (rc != 0 || !last.startsWith("{")) {
            throw new MtcException("--peer: " + script + " exited with " + rc + " and printed no result line"
                    + " (does " + python + " have torch? apt-get install python3-torch libopenblas0-pthread)");
        }
        try {
            JsonNode j = Json.MAPPER.readTree(last);
            JsonNode tok = j.get("target_tokens_per_s");
            if (tok == null || !tok.isNumber()) {
                throw new MtcException("--peer: result line has no target_tokens_per_s: " + last);
            }
            return tok.asDouble();
        } catch (IOException e) {
            throw new MtcException("--peer: unreadable result line: " + last);
        }
    }
}
