/** The training loop, learning-rate schedules, and hooks called after each optimizer step. */
package org.mtcompress.train;
