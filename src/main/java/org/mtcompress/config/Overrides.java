package org.mtcompress.config;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line overrides {@code key.path=value}: the value is read as YAML ({@code 4}, {@code 0.1}, {@code true},
 * {@code [1, 2]}, {@code {a: 1}}), and set at the dotted path, creating mappings on the way. A number in the path
 * picks an item of a list, counting from 0 ({@code variants.1.retrain.steps}, {@code variant.stages.0.compressor.bits}).
 */
public final class Overrides {
    private Overrides() {
    }

    /** One parsed override. */
    public record Override(List<String> path, ConfigNode value, String text) {
    }

    public static Override parse(String text) {
        int eq = text.indexOf('=');
        Source src = Source.override(text);
        if (eq <= 0) {
            throw new ConfigException(src, "expected key.path=value");
        }
        String key = text.substring(0, eq).trim();
        if (!key.matches("[A-Za-z_][A-Za-z0-9_]*(\\.([A-Za-z_][A-Za-z0-9_]*|[0-9]+))*")) {
            throw new ConfigException(src, "bad key path '" + key + "' (expected names, or list positions from 0, "
                    + "separated by dots)");
        }
        String valueText = text.substring(eq + 1);
        ConfigNode value = relabel(YamlReader.parse(new StringReader(valueText.isEmpty() ? "''" : valueText),
                src.origin()), src);
        if (valueText.isBlank() == false && value instanceof ConfigNode.Mapping m && m.entries().isEmpty()) {
            value = new ConfigNode.Scalar(valueText, ConfigNode.Scalar.Kind.STRING, src);
        }
        return new Override(List.of(key.split("\\.")), value, text);
    }

    /** {@code root} with every override applied in order. */
    public static ConfigNode apply(ConfigNode root, List<String> overrides) {
        ConfigNode out = root;
        for (String text : overrides) {
            out = apply(out, parse(text));
        }
        return out;
    }

    static ConfigNode apply(ConfigNode root, Override o) {
        return set(root, o.path(), 0, o.value(), Source.override(o.text()));
    }

    private static ConfigNode set(ConfigNode node, List<String> path, int i, ConfigNode value, Source src) {
        if (i == path.size()) {
            return value;
        }
        if (node instanceof ConfigNode.Sequence seq) {
            String at = String.join(".", path.subList(0, i));
            if (!path.get(i).matches("[0-9]+")) {
                throw new ConfigException(src, "key '" + at + "' is a list: pick an item by its position from 0, e.g. '"
                        + at + ".0." + path.get(i) + "'");
            }
            int index = Integer.parseInt(path.get(i));
            if (index >= seq.items().size()) {
                throw new ConfigException(src, "key '" + at + "' has " + seq.items().size() + " items (positions 0 to "
                        + (seq.items().size() - 1) + "), no item " + index);
            }
            java.util.List<ConfigNode> items = new java.util.ArrayList<>(seq.items());
            items.set(index, set(items.get(index), path, i + 1, value, src));
            return new ConfigNode.Sequence(items, seq.source());
        }
        Map<String, ConfigNode.Entry> entries = new LinkedHashMap<>();
        if (node instanceof ConfigNode.Mapping m) {
            entries.putAll(m.entries());
        } else if (node != null && !(node instanceof ConfigNode.Scalar s && s.value() == null)) {
            throw new ConfigException(src, "key '" + String.join(".", path.subList(0, i))
                    + "' is not a mapping, cannot set '" + path.get(i) + "' in it");
        }
        String key = path.get(i);
        ConfigNode.Entry old = entries.get(key);
        ConfigNode child = set(old == null ? null : old.value(), path, i + 1, value, src);
        entries.put(key, new ConfigNode.Entry(key, src, child));
        return new ConfigNode.Mapping(entries, node == null ? src : node.source());
    }

    /** Gives every node parsed from an override's value the override as its source. */
    private static ConfigNode relabel(ConfigNode node, Source src) {
        if (node instanceof ConfigNode.Mapping m) {
            Map<String, ConfigNode.Entry> entries = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> entries.put(k, new ConfigNode.Entry(k, src, relabel(e.value(), src))));
            return new ConfigNode.Mapping(entries, src);
        }
        if (node instanceof ConfigNode.Sequence s) {
            return new ConfigNode.Sequence(s.items().stream().map(n -> relabel(n, src)).toList(), src);
        }
        ConfigNode.Scalar sc = (ConfigNode.Scalar) node;
        return new ConfigNode.Scalar(sc.value(), sc.kind(), src);
    }
}
