/** Corpora: dataset specs, download with checksums, readers (plain, gz, tgz, SGML), subword vocabulary, batching. */
package org.mtcompress.data;
