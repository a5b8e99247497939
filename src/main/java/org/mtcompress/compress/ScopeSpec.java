package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;

import java.util.List;

/**
 * Which parameters a compressor acts on: a preset, plus names matching any include regex, minus names
 * matching any exclude regex. Regexes are anchored (they must match the whole name).
 */
@Doc("Which parameters a compressor acts on: preset + include - exclude (anchored regexes over parameter names)")
public record ScopeSpec(
        @Doc("Named group of weight matrices: all, self_attention, cross_attention, attention, ffn, embeddings, none")
        @Default("all") ScopePreset preset,
        @Doc("Anchored regexes; matching parameters are added (e.g. 'encoder\\.layers\\.0\\..*\\.bias')")
        @Default("[]") List<String> include,
        @Doc("Anchored regexes; matching parameters are removed (applied last)")
        @Default("[]") List<String> exclude) {

    public ScopeSpec {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        if (preset == null) {
            preset = ScopePreset.ALL;
        }
    }

    public static ScopeSpec of(ScopePreset preset) {
        return new ScopeSpec(preset, List.of(), List.of());
    }
}
