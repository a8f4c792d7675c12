package org.widerobust.plugin.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.tribuo.Tribuo;

/** The version of widerobust, from the Maven project (a resource filtered at build time). */
final class Version {
    private static final String RESOURCE = "version.properties";

    private Version() {}

    /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** "widerobust 0.1.0 (Tribuo 4.3.2, Java 17.0.9)". */
    static String describe() {
        return "widerobust " + version() + " (Tribuo " + Tribuo.VERSION + ", Java " + Runtime.version() + ")";
    }
}
