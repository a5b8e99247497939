package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Model size, computed in one place from the stored forms ({@link EncodedTensor#bits()}). Every parameter of the
 * model is a row: compressed ones with their breakdown (indices, tables, mask, fp32 values), untouched ones as
 * fp32. Shared codebooks are one row each.
 *
 * <ul>
 *   <li>{@link #ratio()}: all original bits (32 per element) / all stored bits, untouched parameters included;</li>
 *   <li>{@link #scopeRatio()}: the same over the compressed parameters only (shared tables included);</li>
 *   <li>{@link #nominalPruningRatio()}: 1 / (1 - sparsity) over the compressed parameters, the figure pruning
 *   papers quote (it ignores the mask and counts kept values as if free of index cost).</li>
 * </ul>
 */
public final class SizeReport {
    /** One parameter (or shared table). {@code compressed} is false for untouched parameters. */
    public record Row(String name, long elements, boolean compressed, StorageBits stored, long zeros) {
        public long originalBits() {
            return 32L * elements;
        }
    }

    private final List<Row> rows;

    private SizeReport(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    /** The report for {@code params} where the parameters in {@code encoding} are stored compressed. */
    public static SizeReport of(NamedParameters params, Encoding encoding) {
        List<Row> rows = new ArrayList<>();
        for (String name : params.names()) {
            EncodedTensor t = encoding.tensors().get(name);
            if (t == null) {
                long n = FloatIo.elements(params.shape(name));
                rows.add(new Row(name, n, false, StorageBits.raw(n), 0));
            } else {
                float[] v = t.decode();
                long zeros = 0;
                for (float x : v) {
                    if (x == 0f) {
                        zeros++;
                    }
                }
                rows.add(new Row(name, v.length, true, t.bits(), zeros));
            }
        }
        for (String name : encoding.tensors().keySet()) {
            if (!params.names().contains(name)) {
                throw new IllegalArgumentException("encoded parameter '" + name + "' is not in the model");
            }
        }
        for (Map.Entry<String, float[]> e : encoding.sharedTables().entrySet()) {
            rows.add(new Row("[shared table " + e.getKey() + "]", 0, true,
                    new StorageBits(0, 32L * e.getValue().length, 0, 0), 0));
        }
        return new SizeReport(rows);
    }

    /**
     * The size of {@code model}, an architecture variant of {@code reference} (hash embeddings: the
     * {@code [V, d]} table is gone, a projection and an untied output projection are new), measured against the
     * reference. A parameter only the reference has is a compressed row stored in 0 bits (its original bits
     * count, nothing is stored: hash vectors are recomputed from the pieces and the seed); a parameter only the
     * model has is a compressed row of 0 original elements stored as fp32 values (the price of the variant); the
     * parameters both have, with the same shape, are untouched rows. So {@link #ratio()} is the reference's bits
     * over the model's, and the scope is what the architecture changed.
     */
    public static SizeReport ofArchitecture(NamedParameters reference, NamedParameters model) {
        List<Row> rows = new ArrayList<>();
        for (String name : reference.names()) {
            long n = FloatIo.elements(reference.shape(name));
            if (!model.names().contains(name)) {
                rows.add(new Row(name + " (removed)", n, true, StorageBits.ZERO, 0));
            } else if (!java.util.Arrays.equals(reference.shape(name), model.shape(name))) {
                throw new IllegalArgumentException("parameter '" + name + "' has shape "
                        + java.util.Arrays.toString(model.shape(name)) + ", the reference "
                        + java.util.Arrays.toString(reference.shape(name)));
            } else {
                rows.add(new Row(name, n, false, StorageBits.raw(n), 0));
            }
        }
        for (String name : model.names()) {
            if (!reference.names().contains(name)) {
                rows.add(new Row(name + " (added)", 0, true, StorageBits.raw(FloatIo.elements(model.shape(name))), 0));
            }
        }
        return new SizeReport(rows);
    }

    public List<Row> rows() {
        return rows;
    }

    public long originalBits() {
        return rows.stream().mapToLong(Row::originalBits).sum();
    }

    public long storedBits() {
        return rows.stream().mapToLong(r -> r.stored().total()).sum();
    }

    /** Stored bits by part over all rows. */
    public StorageBits storedParts() {
        return rows.stream().map(Row::stored).reduce(StorageBits.ZERO, StorageBits::plus);
    }

    public long scopeOriginalBits() {
        return rows.stream().filter(Row::compressed).mapToLong(Row::originalBits).sum();
    }

    public long scopeStoredBits() {
        return rows.stream().filter(Row::compressed).mapToLong(r -> r.stored().total()).sum();
    }

    /** Whole-model compression ratio (original / stored). */
    public double ratio() {
        return (double) originalBits() / storedBits();
    }

    /** Compression ratio over the compressed parameters only. */
    public double scopeRatio() {
        long stored = scopeStoredBits();
        return stored == 0 ? Double.NaN : (double) scopeOriginalBits() / stored;
    }

    /** Fraction of exact zeros among the compressed parameters' elements. */
    public double scopeSparsity() {
        long n = rows.stream().filter(Row::compressed).mapToLong(Row::elements).sum();
        long z = rows.stream().filter(Row::compressed).mapToLong(Row::zeros).sum();
        return n == 0 ? 0 : (double) z / n;
    }

    /** Pruning's nominal figure 1 / (1 - sparsity) within the scope. */
    public double nominalPruningRatio() {
        return 1.0 / (1.0 - scopeSparsity());
    }

    /** Headline figures (for metrics.json). */
    public Map<String, Object> summary() {
        StorageBits p = storedParts();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("original_bits", originalBits());
        m.put("stored_bits", storedBits());
        m.put("index_bits", p.indexBits());
        m.put("table_bits", p.tableBits());
        m.put("mask_bits", p.maskBits());
        m.put("value_bits", p.valueBits());
        m.put("untouched_bits", rows.stream().filter(r -> !r.compressed()).mapToLong(r -> r.stored().total()).sum());
        m.put("ratio", ratio());
        m.put("scope_original_bits", scopeOriginalBits());
        m.put("scope_stored_bits", scopeStoredBits());
        m.put("scope_ratio", scopeRatio());
        m.put("scope_sparsity", scopeSparsity());
        m.put("nominal_pruning_ratio", nominalPruningRatio());
        return m;
    }

    /** A plain-text table: one line per parameter and a total. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-52s %12s %12s %12s %10s %10s %12s %8s%n";
        sb.append(String.format(Locale.ROOT, fmt, "parameter", "orig_bits", "stored_bits", "index", "table", "mask",
                "values", "ratio"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, (r.compressed() ? "* " : "  ") + r.name(), r.originalBits(),
                    r.stored().total(), r.stored().indexBits(), r.stored().tableBits(), r.stored().maskBits(),
                    r.stored().valueBits(), r.elements() == 0 ? "-"
                            : String.format(Locale.ROOT, "%.2f", (double) r.originalBits() / r.stored().total())));
        }
        StorageBits p = storedParts();
        sb.append(String.format(Locale.ROOT, fmt, "TOTAL", originalBits(), storedBits(), p.indexBits(),
                p.tableBits(), p.maskBits(), p.valueBits(), String.format(Locale.ROOT, "%.2f", ratio())));
        sb.append(String.format(Locale.ROOT, "ratio %.3f (whole model), %.3f (within scope), sparsity %.4f, "
                + "nominal pruning ratio %.3f%n", ratio(), scopeRatio(), scopeSparsity(), nominalPruningRatio()));
        return sb.toString();
    }
}
