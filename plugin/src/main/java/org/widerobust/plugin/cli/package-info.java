/**
 * The {@code widerobust} command line: one launcher, one {@link org.widerobust.plugin.cli.Command} per verb, parsed
 * with Apache Commons CLI. User mistakes end in a one-line error and exit code 2, never a stack trace.
 */
package org.widerobust.plugin.cli;
