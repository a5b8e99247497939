package org.mtcompress.compress;

import java.util.Arrays;

/** Checks the {@code name} of a compressor settings record built in code. */
final class Names {
    private Names() {
    }

    static void require(String name, String... allowed) {
        if (!Arrays.asList(allowed).contains(name)) {
            throw new IllegalArgumentException("key 'name': '" + name + "' is not " + String.join(" or ", allowed));
        }
    }
}
