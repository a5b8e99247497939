/** Small shared helpers: atomic file writes, hashing, JSON, user-facing errors, facts about the machine. */
package org.mtcompress.util;
