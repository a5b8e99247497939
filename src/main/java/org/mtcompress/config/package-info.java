/** Immutable config records, one per config section, and the one strict YAML loader that builds them. */
package org.mtcompress.config;
