/** The Transformer graph in SameDiff, parameter naming, checkpoints. */
package org.mtcompress.model;
