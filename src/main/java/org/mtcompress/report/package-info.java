/** Tables and charts built from run folders. */
package org.mtcompress.report;
