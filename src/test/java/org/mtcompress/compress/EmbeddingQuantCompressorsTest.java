package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.compress.embedding.ClippedUniformQuantizer;
import org.mtcompress.compress.embedding.PackedIntTable;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.util.MtcException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The intn and uniform_clip compressors on the embeddings scope of a tiny model's parameters. */
class EmbeddingQuantCompressorsTest {
    private static final String ENC = "encoder.embed_tokens.weight";
    private static final String DEC = "decoder.embed_tokens.weight";
    private static final String FC1 = "encoder.layers.0.fc1.weight";

    private static float[] gaussian(int n, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.04);
        }
        return w;
    }

    private static ParameterMap model() {
        return new ParameterMap()
                .put(ENC, new long[]{50, 96}, gaussian(50 * 96, 1))
                .put(DEC, new long[]{50, 96}, gaussian(50 * 96, 2))
                .put(FC1, new long[]{96, 32}, gaussian(96 * 32, 3));
    }

    private static CompressorSpec spec(String name, int bits) {
        return CompressorSpec.defaults(name, bits).withScope(ScopeSpec.of(ScopePreset.EMBEDDINGS));
    }

    private static CompressionState run(CompressorSpec spec, ParameterMap params) {
        List<String> selected = Scope.resolve(params, spec.scope());
        assertEquals(List.of(ENC, DEC), selected);
        return CompressorRegistry.standard().create(spec).compress(params, selected);
    }

    /** Writes and reads back every encoded tensor; the decoded floats must be identical. */
    private static void assertPayloadRoundTrips(Encoding encoding) throws Exception {
        for (Map.Entry<String, EncodedTensor> e : encoding.tensors().entrySet()) {
            EncodedTensor t = e.getValue();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                t.writePayload(out);
            }
            EncodedTensor back = Encodings.reader(t.kind()).read(t.shape(),
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), encoding.sharedTables());
            assertArrayEquals(t.decode(), back.decode(), e.getKey());
            assertEquals(t.bits(), back.bits());
            assertTrue(bytes.size() <= (t.bits().total() + 7) / 8 + 64, t.kind() + " payload " + bytes.size()
                    + " bytes for " + t.bits().total() + " bits");
        }
    }

    @Test
    void registryKnowsBothAndRejectsBadBits() {
        assertTrue(CompressorRegistry.standard().names().containsAll(List.of("intn", "uniform_clip")));
        MtcException e = assertThrows(MtcException.class,
                () -> CompressorRegistry.standard().create(CompressorSpec.defaults("int4", 4)));
        assertTrue(e.getMessage().contains("intn") && e.getMessage().contains("uniform_clip"), e.getMessage());
        assertThrows(MtcException.class, () -> CompressorRegistry.standard().create(spec("intn", 16)));
        assertThrows(MtcException.class, () -> CompressorRegistry.standard().create(spec("uniform_clip", 3)));
    }

    @Test
    void intnGroup64QuantizesEmbeddingsAndCountsPackedBitsAndScales() throws Exception {
        ParameterMap params = model();
        ParameterMap original = ParameterMap.copyOf(params);
        CompressionState state = run(spec("intn", 4), params); // default: group 64
        for (String name : List.of(ENC, DEC)) {
            float[] expected = PackedIntTable.quantize(original.read(name), 50, 96, 4, 64).dequantize();
            assertArrayEquals(expected, params.read(name), name);
        }
        assertArrayEquals(original.read(FC1), params.read(FC1));

        Encoding enc = state.encode(params);
        EncodedTensor t = enc.tensors().get(ENC);
        assertInstanceOf(PackedIntTensor.class, t);
        assertArrayEquals(params.read(ENC), t.decode());
        // 96 values a row at 4 bits = 48 bytes; groups 64 + 32 -> 2 float32 scales a row
        assertEquals(new StorageBits(50 * 48 * 8, 50 * 2 * 32, 0, 0), t.bits());
        assertPayloadRoundTrips(enc);

        SizeReport report = SizeReport.of(params, enc);
        long embBits = 2L * 50 * 96 * 32;
        assertEquals(embBits + 96 * 32 * 32, report.originalBits());
        assertEquals(2 * (50 * 48 * 8 + 50 * 2 * 32) + 96 * 32 * 32, report.storedBits());
        assertEquals(embBits / (double) (2 * (50 * 48 * 8 + 50 * 2 * 32)), report.scopeRatio(), 1e-12);
    }

    @Test
    void intnChannelHasOneScalePerRow() {
        ParameterMap params = model();
        ParameterMap original = ParameterMap.copyOf(params);
        CompressorSpec spec = CompressorSpec.parse("{name: intn, bits: 8, scope: {preset: embeddings}, quant: {strategy: channel}}");
        Encoding enc = run(spec, params).encode(params);
        assertEquals(new StorageBits(50 * 96 * 8, 50 * 32, 0, 0), enc.tensors().get(DEC).bits());
        assertArrayEquals(PackedIntTable.quantize(original.read(DEC), 50, 96, 8, 96).dequantize(), params.read(DEC));
    }

    @Test
    void intnRetrainingAccumulatesUpdatesInLatentWeights() {
        ParameterMap params = model();
        float[] latent = params.read(ENC);
        CompressionState state = run(spec("intn", 4), params);
        Random rnd = new Random(9);
        for (int step = 1; step <= 3; step++) {
            float[] last = params.read(ENC);
            float[] now = last.clone();
            for (int i = 0; i < now.length; i++) {
                now[i] += (float) (rnd.nextGaussian() * 0.002); // below half a step: lost without latent weights
                latent[i] += now[i] - last[i];
            }
            params.write(ENC, now);
            state.afterStep(params, step);
            assertArrayEquals(PackedIntTable.quantize(latent, 50, 96, 4, 64).dequantize(), params.read(ENC));
        }
        assertArrayEquals(params.read(ENC), state.encode(params).tensors().get(ENC).decode());
    }

    @Test
    void uniformClipTwoBitsUsesFourLevelsAndOneThresholdPerTensor() throws Exception {
        ParameterMap params = model();
        ParameterMap original = ParameterMap.copyOf(params);
        CompressionState state = run(spec("uniform_clip", 2), params);
        ClippedUniformQuantizer.Result expected = ClippedUniformQuantizer.quantize(original.read(ENC), 2);
        assertArrayEquals(expected.values(), params.read(ENC));
        UniformClipCompressor c = (UniformClipCompressor) CompressorRegistry.standard().create(spec("uniform_clip", 2));
        c.compress(ParameterMap.copyOf(original), List.of(ENC));
        UniformClipCompressor.TensorReport tr = c.report().get(0);
        assertEquals(expected.clip(), tr.clip());
        assertEquals(expected.mse(), tr.mse());
        assertTrue(tr.mse() < tr.mseNoClip());
        assertTrue(expected.clip() < expected.maxAbs());
        assertTrue(ClippedUniformQuantizer.countDistinct(params.read(DEC)) <= 4);

        Encoding enc = state.encode(params);
        UniformTensor t = assertInstanceOf(UniformTensor.class, enc.tensors().get(ENC));
        assertEquals(expected.clip(), t.clip());
        assertArrayEquals(params.read(ENC), t.decode());
        assertEquals(new StorageBits(2L * 50 * 96, 32, 0, 0), t.bits());
        assertPayloadRoundTrips(enc);

        // retraining keeps r and the 4 levels while the latent weights move
        float[] moved = params.read(ENC);
        for (int i = 0; i < moved.length; i++) {
            moved[i] += 0.01f;
        }
        params.write(ENC, moved);
        state.afterStep(params, 1);
        UniformTensor after = (UniformTensor) state.encode(params).tensors().get(ENC);
        assertEquals(t.clip(), after.clip());
        assertArrayEquals(params.read(ENC), after.decode());
        assertNotEquals(java.util.Arrays.toString(t.codes()), java.util.Arrays.toString(after.codes()));
    }

    @Test
    void uniformClipKeepsTensorsWithFewValues() throws Exception {
        float[] few = new float[50 * 96];
        for (int i = 0; i < few.length; i++) {
            few[i] = (i % 3 - 1) * 0.25f;
        }
        ParameterMap params = model();
        params.write(ENC, few);
        Encoding enc = run(spec("uniform_clip", 2), params).encode(params);
        CodebookTensor cb = assertInstanceOf(CodebookTensor.class, enc.tensors().get(ENC));
        assertArrayEquals(few, cb.decode());
        assertEquals(new StorageBits(2L * few.length, 3 * 32, 0, 0), cb.bits());
        assertPayloadRoundTrips(enc);

        params = model();
        Encoding raw = run(spec("uniform_clip", 32), params).encode(params);
        assertInstanceOf(RawTensor.class, raw.tensors().get(DEC));
        assertArrayEquals(model().read(DEC), params.read(DEC));
    }
}
