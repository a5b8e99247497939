/** Benchmarks that print tables ({@code mtc data bench}); speed goals are checked here, not in unit tests. */
package org.mtcompress.bench;
