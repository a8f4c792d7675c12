/**
 * Reporting: JSON documents written atomically ({@link org.widerobust.plugin.report.JsonReports}), so a crash never
 * leaves a half-written file; progress of long work ({@link org.widerobust.plugin.report.ProgressDisplay}): a bar on
 * a terminal, plain lines with every field in a log; and the study report of {@code widerobust report}: merging the
 * results of a sweep's shards ({@link org.widerobust.plugin.report.StudyResults}), judging the paper's three claims
 * on them ({@link org.widerobust.plugin.report.Findings}), drawing the charts with XChart
 * ({@link org.widerobust.plugin.report.StudyCharts}) and writing one self-contained {@code report.html}
 * ({@link org.widerobust.plugin.report.HtmlReport}).
 */
package org.widerobust.plugin.report;
