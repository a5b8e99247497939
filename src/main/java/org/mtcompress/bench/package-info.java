/** Speed measurements: JMH benchmarks and the plain timings behind {@code mtc bench}. */
package org.mtcompress.bench;
