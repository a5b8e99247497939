/** The Compressor interface, scopes, size accounting, one file per compressor family. */
package org.mtcompress.compress;
