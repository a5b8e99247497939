/** Small shared helpers: atomic file writes, hashing, JSON, user-facing errors. */
package org.mtcompress.util;
