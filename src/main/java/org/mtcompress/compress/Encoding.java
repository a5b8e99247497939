package org.mtcompress.compress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stored forms of a set of tensors, by parameter name, plus the fp32 tables several tensors share (a codebook
 * per layer or per model), by key. Shared tables are stored and counted once.
 */
public record Encoding(Map<String, EncodedTensor> tensors, Map<String, float[]> sharedTables) {
    public Encoding {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        sharedTables = Collections.unmodifiableMap(new LinkedHashMap<>(sharedTables));
        for (Map.Entry<String, EncodedTensor> e : tensors.entrySet()) {
            String key = e.getValue().sharedTable();
            if (key != null && !sharedTables.containsKey(key)) {
                throw new IllegalArgumentException(e.getKey() + " refers to missing shared table '" + key + "'");
            }
        }
    }

    public static Encoding of(Map<String, EncodedTensor> tensors) {
        return new Encoding(tensors, Map.of());
    }

    /** Bits of all shared tables (fp32 each). */
    public long sharedTableBits() {
        long bits = 0;
        for (float[] t : sharedTables.values()) {
            bits += 32L * t.length;
        }
        return bits;
    }

    /** Both encodings together; a name or table key in both is an error. */
    public Encoding merge(Encoding other) {
        Map<String, EncodedTensor> t = new LinkedHashMap<>(tensors);
        for (Map.Entry<String, EncodedTensor> e : other.tensors.entrySet()) {
            if (t.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' is encoded twice");
            }
        }
        Map<String, float[]> s = new LinkedHashMap<>(sharedTables);
        for (Map.Entry<String, float[]> e : other.sharedTables.entrySet()) {
            if (s.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("shared table '" + e.getKey() + "' is defined twice");
            }
        }
        return new Encoding(t, s);
    }
}
