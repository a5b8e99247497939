package org.mtcompress.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML into {@link ConfigNode}s with file and line on every value, resolving {@code extends:}
 * (a path or a list of paths relative to the file; parents merge in order, the child wins).
 * SnakeYAML's node API is used rather than a data binder because it keeps the line of every key.
 */
final class YamlReader {
    static final String EXTENDS = "extends";

    private YamlReader() {
    }

    /** Reads {@code file} and everything it extends, merged. */
    static ConfigNode readWithExtends(Path file) {
        return readWithExtends(file.toAbsolutePath().normalize(), new ArrayDeque<>());
    }

    private static ConfigNode readWithExtends(Path file, Deque<Path> chain) {
        if (chain.contains(file)) {
            throw new ConfigException(Source.file(display(file), 1),
                    "'extends' cycle: " + String.join(" -> ", chain.stream().map(YamlReader::display).toList())
                            + " -> " + display(file));
        }
        chain.push(file);
        ConfigNode own = readFile(file);
        ConfigNode merged = null;
        if (own instanceof ConfigNode.Mapping m && m.entries().containsKey(EXTENDS)) {
            ConfigNode.Entry ext = m.entries().get(EXTENDS);
            for (ConfigNode.Scalar parent : parentPaths(ext)) {
                Path p = file.getParent().resolve(parent.value()).normalize();
                if (!Files.isRegularFile(p)) {
                    throw new ConfigException(parent.source(), "key 'extends': file not found: " + p);
                }
                ConfigNode parentNode = readWithExtends(p, chain);
                merged = merged == null ? parentNode : ConfigNode.merge(merged, parentNode);
            }
            Map<String, ConfigNode.Entry> rest = new LinkedHashMap<>(m.entries());
            rest.remove(EXTENDS);
            own = new ConfigNode.Mapping(rest, m.source());
        }
        chain.pop();
        return merged == null ? own : ConfigNode.merge(merged, own);
    }

    private static List<ConfigNode.Scalar> parentPaths(ConfigNode.Entry ext) {
        List<ConfigNode.Scalar> out = new ArrayList<>();
        if (ext.value() instanceof ConfigNode.Scalar s && s.value() != null) {
            out.add(s);
        } else if (ext.value() instanceof ConfigNode.Sequence seq) {
            for (ConfigNode item : seq.items()) {
                if (!(item instanceof ConfigNode.Scalar s) || s.value() == null) {
                    throw new ConfigException(item.source(), "key 'extends': expected a file path");
                }
                out.add(s);
            }
        } else {
            throw new ConfigException(ext.keySource(), "key 'extends': expected a file path or a list of paths");
        }
        return out;
    }

    /** Reads one YAML file (no extends resolution). An empty file is an empty mapping. */
    static ConfigNode readFile(Path file) {
        String name = display(file);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, name);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new Source(name, 0), "file not found");
        } catch (IOException e) {
            throw new ConfigException(new Source(name, 0), "cannot read: " + e.getMessage());
        }
    }

    /** Parses YAML text from {@code reader}; {@code origin} names it in errors. */
    static ConfigNode parse(Reader reader, String origin) {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(false);
        Node root;
        try {
            root = new Yaml(opts).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new ConfigException(new Source(origin, line), "invalid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(new Source(origin, 0), "invalid YAML: " + e.getMessage());
        }
        if (root == null) {
            return new ConfigNode.Mapping(Map.of(), new Source(origin, 1));
        }
        return convert(root, origin);
    }

    private static ConfigNode convert(Node node, String origin) {
        Source src = new Source(origin, node.getStartMark().getLine() + 1);
        if (node instanceof MappingNode m) {
            Map<String, ConfigNode.Entry> entries = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                Source keySrc = new Source(origin, t.getKeyNode().getStartMark().getLine() + 1);
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw new ConfigException(keySrc, "keys must be plain names");
                }
                if (entries.containsKey(k.getValue())) {
                    throw new ConfigException(keySrc, "duplicate key '" + k.getValue() + "'");
                }
                entries.put(k.getValue(), new ConfigNode.Entry(k.getValue(), keySrc, convert(t.getValueNode(), origin)));
            }
            return new ConfigNode.Mapping(entries, src);
        }
        if (node instanceof SequenceNode s) {
            List<ConfigNode> items = new ArrayList<>();
            for (Node n : s.getValue()) {
                items.add(convert(n, origin));
            }
            return new ConfigNode.Sequence(items, src);
        }
        ScalarNode sc = (ScalarNode) node;
        Tag tag = sc.getTag();
        ConfigNode.Scalar.Kind kind;
        if (Tag.NULL.equals(tag)) {
            return new ConfigNode.Scalar(null, ConfigNode.Scalar.Kind.NULL, src);
        } else if (Tag.INT.equals(tag)) {
            kind = ConfigNode.Scalar.Kind.INT;
        } else if (Tag.FLOAT.equals(tag)) {
            kind = ConfigNode.Scalar.Kind.FLOAT;
        } else if (Tag.BOOL.equals(tag)) {
            kind = ConfigNode.Scalar.Kind.BOOL;
        } else {
            kind = ConfigNode.Scalar.Kind.STRING;
        }
        return new ConfigNode.Scalar(sc.getValue(), kind, src);
    }

    /** Path as given relative to the working directory when possible: shorter, clickable error messages. */
    static String display(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
