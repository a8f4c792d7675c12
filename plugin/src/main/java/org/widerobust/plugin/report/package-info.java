/**
 * Reporting: JSON documents written atomically ({@link org.widerobust.plugin.report.JsonReports}), so a crash never
 * leaves a half-written file, and progress of long work ({@link org.widerobust.plugin.report.ProgressDisplay}): a
 * bar on a terminal, plain lines with every field in a log.
 */
package org.widerobust.plugin.report;
