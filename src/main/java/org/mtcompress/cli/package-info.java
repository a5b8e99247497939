/** Command-line verbs: one picocli command class per verb (data, train, compress, eval, run, sweep, table, ...). */
package org.mtcompress.cli;
