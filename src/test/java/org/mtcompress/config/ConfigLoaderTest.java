package org.mtcompress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    enum Norm { PRE, POST }

    record Layers(@Doc("heads") @Default("4") @Range(min = 1, max = 64) int heads,
                  @Default("0.1") @Range(min = 0, max = 1) double dropout,
                  @Default("pre") Norm norm) {
    }

    record Sample(@Doc("the run's name") String name,
                  @Default("7") long seed,
                  Layers layers,
                  @Default("[]") List<String> tags,
                  @Default("~") String note) {
    }

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    private ConfigException fail(Path file, String... overrides) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of(overrides), Sample.class));
    }

    @Test
    void keysAddedLaterAreHashedOnlyWhenSet() {
        String base = "encoder_layers: 2\ndecoder_layers: 2\nheads: 4\nd_model: 128\nffn_dim: 512\n";
        ConfigLoader.Loaded<ModelConfig> plain = ConfigLoader.parse(base, "m.yaml", ModelConfig.class);
        // the resolved config shows every key, but the hash is that of the config before the keys existed
        assertTrue(plain.resolved().containsKey("embedding"), plain.resolved().toString());
        java.util.Map<String, Object> before = new java.util.LinkedHashMap<>(plain.resolved());
        before.keySet().removeAll(List.of("embedding", "hash_dim", "hash_projection", "hash_seed"));
        assertEquals(ConfigLoader.hash(before), plain.hash());
        // spelling a default out changes nothing; any other value is hashed
        assertEquals(plain.hash(), ConfigLoader.parse(base + "embedding: dense\nhash_seed: 1\n", "m.yaml", ModelConfig.class).hash());
        assertNotEquals(plain.hash(), ConfigLoader.parse(base + "embedding: hash\n", "m.yaml", ModelConfig.class).hash());
        assertNotEquals(plain.hash(), ConfigLoader.parse(base + "hash_seed: 2\n", "m.yaml", ModelConfig.class).hash());
        // keys that existed from the start are hashed even at their default
        java.util.Map<String, Object> noDropout = new java.util.LinkedHashMap<>(before);
        noDropout.remove("dropout");
        assertNotEquals(ConfigLoader.hash(noDropout), plain.hash());
    }

    @Test
    void loadsValuesAndFillsDefaults() throws Exception {
        Path f = write("a.yaml", "name: x\nlayers:\n  heads: 8\n");
        Sample s = ConfigLoader.load(f, List.of(), Sample.class).value();
        assertEquals("x", s.name());
        assertEquals(7, s.seed());
        assertEquals(8, s.layers().heads());
        assertEquals(0.1, s.layers().dropout());
        assertEquals(Norm.PRE, s.layers().norm());
        assertEquals(List.of(), s.tags());
        assertNull(s.note());
    }

    @Test
    void unknownKeyNamesFileLineKeyAndAllowedKeys() throws Exception {
        Path f = write("a.yaml", "name: x\nlayers:\n  heads: 8\n  head: 3\n");
        String msg = fail(f).getMessage();
        assertTrue(msg.startsWith("a.yaml:4: ") || msg.contains("a.yaml:4: "), msg);
        assertTrue(msg.contains("unknown key 'layers.head'"), msg);
        assertTrue(msg.contains("allowed: heads, dropout, norm"), msg);
    }

    @Test
    void wrongTypeNamesKeyAndLine() throws Exception {
        Path f = write("a.yaml", "name: x\nlayers:\n  heads: four\n");
        String msg = fail(f).getMessage();
        assertTrue(msg.contains("a.yaml:3: "), msg);
        assertTrue(msg.contains("key 'layers.heads': expected an integer, got 'four'"), msg);
    }

    @Test
    void wrongEnumListsAllowedValues() throws Exception {
        Path f = write("a.yaml", "name: x\nlayers:\n  norm: middle\n");
        String msg = fail(f).getMessage();
        assertTrue(msg.contains("a.yaml:3: ") && msg.contains("'layers.norm'") && msg.contains("pre, post"), msg);
    }

    @Test
    void outOfRangeNamesKeyLineAndBounds() throws Exception {
        Path f = write("a.yaml", "name: x\nlayers:\n  dropout: 1.5\n");
        String msg = fail(f).getMessage();
        assertTrue(msg.contains("a.yaml:3: "), msg);
        assertTrue(msg.contains("key 'layers.dropout' = 1.5 is out of range [0, 1]"), msg);
    }

    @Test
    void missingRequiredKeyNamesKeyAndLine() throws Exception {
        Path f = write("a.yaml", "\nseed: 3\n");
        String msg = fail(f).getMessage();
        assertTrue(msg.contains("a.yaml:2: "), msg);
        assertTrue(msg.contains("missing required key 'name'"), msg);
    }

    @Test
    void invalidYamlNamesLine() throws Exception {
        Path f = write("a.yaml", "name: x\nlayers: [1,\n");
        String msg = fail(f).getMessage();
        assertTrue(msg.contains("a.yaml:") && msg.contains("invalid YAML"), msg);
    }

    @Test
    void duplicateKeyIsAnError() throws Exception {
        Path f = write("a.yaml", "name: x\nname: y\n");
        assertTrue(fail(f).getMessage().contains("a.yaml:2: duplicate key 'name'"));
    }

    @Test
    void overridesAreTypedAndWinOverTheFile() throws Exception {
        Path f = write("a.yaml", "name: x\nlayers:\n  heads: 8\n");
        Sample s = ConfigLoader.load(f, List.of("layers.heads=16", "tags=[a, b]", "seed=0x10", "note=hello world"),
                Sample.class).value();
        assertEquals(16, s.layers().heads());
        assertEquals(List.of("a", "b"), s.tags());
        assertEquals(16, s.seed());
        assertEquals("hello world", s.note());
    }

    @Test
    void badOverridesAreClearErrors() throws Exception {
        Path f = write("a.yaml", "name: x\n");
        assertTrue(fail(f, "layers.heads").getMessage().contains("expected key.path=value"));
        String unknown = fail(f, "layers.haeds=3").getMessage();
        assertTrue(unknown.contains("command-line override 'layers.haeds=3'") && unknown.contains("unknown key 'layers.haeds'"),
                unknown);
        String type = fail(f, "layers.heads=many").getMessage();
        assertTrue(type.contains("override 'layers.heads=many'") && type.contains("expected an integer"), type);
        assertTrue(fail(f, "name.first=a").getMessage().contains("'name' is not a mapping"));
    }

    @Test
    void extendsMergesParentsAndChildWins() throws Exception {
        write("base.yaml", "name: base\nseed: 1\nlayers:\n  heads: 2\n  dropout: 0.3\n");
        write("mid.yaml", "extends: base.yaml\nlayers:\n  heads: 4\n");
        Path f = write("child.yaml", "extends: [mid.yaml]\nname: child\n");
        Sample s = ConfigLoader.load(f, List.of(), Sample.class).value();
        assertEquals("child", s.name());
        assertEquals(1, s.seed());
        assertEquals(4, s.layers().heads());
        assertEquals(0.3, s.layers().dropout());
    }

    @Test
    void errorsInAParentNameTheParentFile() throws Exception {
        write("base.yaml", "name: base\nlayers:\n  heads: 99\n");
        Path f = write("child.yaml", "extends: base.yaml\n");
        String msg = fail(f).getMessage();
        assertTrue(msg.contains("base.yaml:3: "), msg);
    }

    @Test
    void extendsCycleAndMissingParentAreErrors() throws Exception {
        write("x.yaml", "extends: y.yaml\nname: a\n");
        Path y = write("y.yaml", "extends: x.yaml\nname: b\n");
        assertTrue(fail(y).getMessage().contains("'extends' cycle"));
        Path z = write("z.yaml", "extends: nowhere.yaml\nname: c\n");
        assertTrue(fail(z).getMessage().contains("z.yaml:1: key 'extends': file not found"));
    }

    @Test
    void hashIsStableAcrossKeyOrderAndExplicitDefaults() throws Exception {
        Path a = write("a.yaml", "name: x\nseed: 3\nlayers:\n  heads: 8\n  dropout: 0.2\n");
        Path b = write("b.yaml", "layers:\n  dropout: 0.2\n  heads: 8\n  norm: pre\nseed: 3\nname: x\ntags: []\n");
        Path c = write("c.yaml", "name: x\nseed: 3\nlayers:\n  heads: 8\n  dropout: 0.25\n");
        String ha = ConfigLoader.load(a, List.of(), Sample.class).hash();
        assertEquals(ha, ConfigLoader.load(b, List.of(), Sample.class).hash());
        assertNotEquals(ha, ConfigLoader.load(c, List.of(), Sample.class).hash());
        assertEquals(ha, ConfigLoader.load(c, List.of("layers.dropout=0.2"), Sample.class).hash());
        assertEquals(64, ha.length());
    }

    @Test
    void resolvedYamlReloadsToTheSameHash() throws Exception {
        Path a = write("a.yaml", "name: x\nlayers:\n  norm: post\n");
        ConfigLoader.Loaded<Sample> loaded = ConfigLoader.load(a, List.of(), Sample.class);
        Path again = write("again.yaml", loaded.toYaml());
        assertEquals(loaded.hash(), ConfigLoader.load(again, List.of(), Sample.class).hash());
        assertTrue(loaded.toYaml().contains("norm: post"));
    }
}
