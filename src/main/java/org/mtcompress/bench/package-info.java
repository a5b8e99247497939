/** Benchmarks of hot paths (JMH classes and the plain timing loops behind {@code mtc bench-...} commands). */
package org.mtcompress.bench;
