package org.widerobust.descriptors.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {
    private static final String PACKAGE = "org.widerobust.descriptors.network.";

    @TempDir
    Path dir;

    private ConfigurationManager load(String components) throws IOException {
        Path file = dir.resolve("networks.xml");
        Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n" + components + "</config>\n");
        return new ConfigurationManager(file.toString());
    }

    @Test
    void configuresEveryFamily() throws IOException {
        ConfigurationManager cm = load(
                "<component name=\"cnn\" type=\"" + PACKAGE + "SmallCnnDescriptor\">"
                + "<property name=\"width\" value=\"2.0\"/></component>\n"
                + "<component name=\"mlp\" type=\"" + PACKAGE + "MlpDescriptor\">"
                + "<property name=\"width\" value=\"0.5\"/>"
                + "<propertylist name=\"hiddenSizes\"><item>64</item><item>32</item></propertylist></component>\n"
                + "<component name=\"wrn\" type=\"" + PACKAGE + "WideResNetDescriptor\">"
                + "<property name=\"depth\" value=\"16\"/><property name=\"width\" value=\"4\"/></component>\n"
                + "<component name=\"default-wrn\" type=\"" + PACKAGE + "WideResNetDescriptor\"/>\n");
        assertEquals("smallcnn(k=2)", ((NetworkDescriptor) cm.lookup("cnn")).describe());
        MlpDescriptor mlp = (MlpDescriptor) cm.lookup("mlp");
        assertArrayEquals(new int[] {64, 32}, mlp.hiddenSizes());
        assertEquals("mlp[64-32](k=0.5)", mlp.describe());
        assertEquals("wrn-16-4", ((NetworkDescriptor) cm.lookup("wrn")).describe());
        assertEquals("wrn-34-10", ((NetworkDescriptor) cm.lookup("default-wrn")).describe());
        cm.close();
    }

    @Test
    void postConfigRejectsBadDepth() throws IOException {
        ConfigurationManager cm = load("<component name=\"wrn\" type=\"" + PACKAGE + "WideResNetDescriptor\">"
                + "<property name=\"depth\" value=\"20\"/></component>\n");
        PropertyException e = assertThrows(PropertyException.class, () -> cm.lookup("wrn"));
        assertTrue(e.getMessage().contains("6n + 4"), e.getMessage());
    }

    @Test
    void provenanceCarriesTheConfiguration() {
        ConfiguredObjectProvenance p = new WideResNetDescriptor(28, 10).getProvenance();
        assertEquals(WideResNetDescriptor.class.getName(), p.getClassName());
        assertEquals("28", p.getConfiguredParameters().get("depth").toString());
        assertEquals("10.0", p.getConfiguredParameters().get("width").toString());
        ConfiguredObjectProvenance mlp = new MlpDescriptor(1, 128).getProvenance();
        assertTrue(mlp.getConfiguredParameters().containsKey("hiddenSizes"), mlp.toString());
        assertEquals(p, new WideResNetDescriptor(28, 10).getProvenance());
    }
}
