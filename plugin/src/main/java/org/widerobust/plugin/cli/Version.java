package org.widerobust.plugin.cli;

import org.tribuo.Tribuo;
import org.widerobust.plugin.WiderobustVersion;

/** What {@code widerobust --version} prints. */
final class Version {
    private Version() {}

    /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT} (see {@link WiderobustVersion}). */
    static String version() {
        return WiderobustVersion.VERSION;
    }

    /** "widerobust 0.1.0 (Tribuo 4.3.2, Java 17.0.9)". */
    static String describe() {
        return "widerobust " + version() + " (Tribuo " + Tribuo.VERSION + ", Java " + Runtime.version() + ")";
    }
}
