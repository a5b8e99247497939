/**
 * Speed measurements: JMH benchmarks and the plain timings behind {@code mtc bench ...} and {@code mtc data bench}.
 * Speed goals are checked here, never in unit tests.
 */
package org.mtcompress.bench;
