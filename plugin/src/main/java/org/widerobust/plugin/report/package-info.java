/** Writing reports: JSON documents written atomically, so a crash never leaves a half-written file. */
package org.widerobust.plugin.report;
