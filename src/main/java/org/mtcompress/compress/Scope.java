package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.MtcException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Resolves a {@link ScopeSpec} to parameter names. Names follow the model's convention, e.g.
 * {@code encoder.embed_tokens.weight}, {@code encoder.layers.3.self_attn.q_proj.weight},
 * {@code decoder.layers.0.encoder_attn.out_proj.weight}, {@code decoder.layers.1.fc2.weight},
 * {@code decoder.output_projection.weight}. A weight matrix is a parameter whose name ends in {@code .weight},
 * whose rank is at least 2 and which is not a layer norm; presets select among those only.
 */
public final class Scope {
    private static final Pattern NORM = Pattern.compile(".*(layer_?norm|_ln|\\.ln\\d*)[^.]*\\..*|.*norm.*");
    private static final Pattern SELF_ATT = Pattern.compile("(encoder|decoder)\\.layers\\.\\d+\\.self_attn\\.[a-z_]*proj\\.weight");
    private static final Pattern CROSS_ATT = Pattern.compile("decoder\\.layers\\.\\d+\\.encoder_attn\\.[a-z_]*proj\\.weight");
    private static final Pattern FFN = Pattern.compile("(encoder|decoder)\\.layers\\.\\d+\\.fc\\d+\\.weight");
    private static final Pattern EMBED = Pattern.compile("(.*\\.)?embed[a-z_]*\\.weight");

    private Scope() {
    }

    /**
     * The names selected by {@code spec}, in the order of {@code params.names()}.
     *
     * @throws MtcException for an invalid regex or an empty selection
     */
    public static List<String> resolve(NamedParameters params, ScopeSpec spec) {
        List<Pattern> include = compile(spec.include(), "include");
        List<Pattern> exclude = compile(spec.exclude(), "exclude");
        List<String> out = new ArrayList<>();
        for (String name : params.names()) {
            boolean in = inPreset(spec.preset(), name, params.shape(name).length);
            for (Pattern p : include) {
                in |= p.matcher(name).matches();
            }
            for (Pattern p : exclude) {
                in &= !p.matcher(name).matches();
            }
            if (in) {
                out.add(name);
            }
        }
        if (out.isEmpty()) {
            throw new MtcException("scope " + describe(spec) + " selects no parameter (of " + params.names().size()
                    + ", e.g. " + String.join(", ", params.names().subList(0, Math.min(3, params.names().size()))) + ")");
        }
        return out;
    }

    /** Whether {@code name} (of the given rank) belongs to {@code preset}. */
    public static boolean inPreset(ScopePreset preset, String name, int rank) {
        if (preset == ScopePreset.NONE || !isWeightMatrix(name, rank)) {
            return false;
        }
        return switch (preset) {
            case ALL -> true;
            case SELF_ATTENTION -> SELF_ATT.matcher(name).matches();
            case CROSS_ATTENTION -> CROSS_ATT.matcher(name).matches();
            case ATTENTION -> SELF_ATT.matcher(name).matches() || CROSS_ATT.matcher(name).matches();
            case FFN -> FFN.matcher(name).matches();
            case EMBEDDINGS -> EMBED.matcher(name).matches();
            case NONE -> false;
        };
    }

    /** A weight matrix: ends in {@code .weight}, rank at least 2, not a normalisation layer. */
    public static boolean isWeightMatrix(String name, int rank) {
        return rank >= 2 && name.endsWith(".weight") && !NORM.matcher(name).matches();
    }

    /** Writes the resolved names, one per line, atomically (the run folder keeps this list). */
    public static void write(Path file, List<String> names) {
        AtomicFiles.writeString(file, String.join("\n", names) + "\n");
    }

    static String describe(ScopeSpec spec) {
        return spec.preset().name().toLowerCase() + (spec.include().isEmpty() ? "" : " + include " + spec.include())
                + (spec.exclude().isEmpty() ? "" : " - exclude " + spec.exclude());
    }

    private static List<Pattern> compile(List<String> regexes, String what) {
        List<Pattern> out = new ArrayList<>();
        for (String r : regexes) {
            try {
                out.add(Pattern.compile(r));
            } catch (PatternSyntaxException e) {
                throw new MtcException("scope " + what + " regex '" + r + "' is invalid: " + e.getDescription());
            }
        }
        return out;
    }
}
