package org.widerobust.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The widerobust version, from the {@code version.properties} resource that Maven filters at build time. */
public final class WiderobustVersion {
    /** The version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} if the resource is missing. */
    public static final String VERSION = read();

    private WiderobustVersion() {}

    private static String read() {
        try (InputStream in = WiderobustVersion.class.getResourceAsStream("version.properties")) {
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
}
