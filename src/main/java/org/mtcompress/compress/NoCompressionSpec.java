package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;

/** Settings of {@link NoCompression}: a scope and nothing else. */
@Doc("no compression (the control row): scope only")
public record NoCompressionSpec(
        @Doc("none") String name,
        @Doc("Which parameters the row reports as its scope") @Default("{}") ScopeSpec scope) implements CompressorSpec {

    public NoCompressionSpec {
        Names.require(name, NoCompression.NAME);
    }

    @Override
    public NoCompressionSpec withScope(ScopeSpec s) {
        return new NoCompressionSpec(name, s);
    }
}
