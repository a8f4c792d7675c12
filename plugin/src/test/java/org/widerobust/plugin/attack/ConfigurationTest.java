package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attacks are OLCUT components: built from configuration files, validated, with provenance. */
class ConfigurationTest {
    @TempDir
    Path dir;

    private ConfigurationManager load(String components) throws IOException {
        Path f = dir.resolve("attacks.xml");
        Files.writeString(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n" + components + "</config>\n");
        return new ConfigurationManager(f.toString());
    }

    @Test
    void attacksAndCascadesLoadFromConfiguration() throws IOException {
        ConfigurationManager cm = load("""
                <component name="pgd" type="org.widerobust.plugin.attack.Pgd">
                  <property name="epsilon" value="0.5"/>
                  <property name="norm" value="L2"/>
                  <property name="steps" value="7"/>
                  <property name="loss" value="cw"/>
                </component>
                <component name="apgd" type="org.widerobust.plugin.attack.Apgd">
                  <property name="epsilon" value="0.03"/>
                  <property name="loss" value="dlr-targeted"/>
                </component>
                <component name="square" type="org.widerobust.plugin.attack.SquareAttack">
                  <property name="epsilon" value="0.03"/>
                  <property name="queries" value="100"/>
                </component>
                <component name="cascade" type="org.widerobust.plugin.attack.AttackCascade">
                  <propertylist name="attacks"><item>apgd</item><item>square</item></propertylist>
                </component>
                """);
        Pgd pgd = (Pgd) cm.lookup("pgd");
        assertEquals("pgd-cw-7", pgd.name());
        assertEquals(Norm.L2, pgd.norm());
        assertEquals(2.5 * 0.5 / 7, pgd.stepSize(), 1e-12);
        // the provenance records the step that runs, not the 0 that chose the default
        com.oracle.labs.mlrg.olcut.provenance.Provenance step = pgd.getProvenance().getConfiguredParameters()
                .get("stepSize");
        assertEquals(String.valueOf(2.5 * 0.5 / 7), String.valueOf(((com.oracle.labs.mlrg.olcut.provenance
                .primitives.DoubleProvenance) step).getValue()), step.toString());
        AttackCascade c = (AttackCascade) cm.lookup("cascade");
        assertEquals(0.03, c.epsilon());
        assertEquals("cascade(apgd-t-100+square-100)", c.name());
        String p = c.getProvenance().toString();
        assertTrue(p.contains("Apgd") && p.contains("dlr-targeted") && p.contains("queries=100"), p);
    }

    @Test
    void fabAndLabelledCascadesLoadFromConfiguration() throws IOException {
        ConfigurationManager cm = load("""
                <component name="fab" type="org.widerobust.plugin.attack.Fab">
                  <property name="epsilon" value="0.5"/>
                  <property name="norm" value="L2"/>
                  <property name="steps" value="30"/>
                  <property name="targeted" value="false"/>
                  <property name="eta" value="1.1"/>
                </component>
                <component name="bad" type="org.widerobust.plugin.attack.Fab">
                  <property name="epsilon" value="0.5"/>
                  <property name="beta" value="2"/>
                </component>
                <component name="ensemble" type="org.widerobust.plugin.attack.AttackCascade">
                  <property name="label" value="mine"/>
                  <propertylist name="attacks"><item>fab</item></propertylist>
                </component>
                """);
        Fab fab = (Fab) cm.lookup("fab");
        assertEquals("fab-30", fab.name());
        assertEquals(Norm.L2, fab.norm());
        assertTrue(fab.getProvenance().toString().contains("eta=1.1"), fab.getProvenance().toString());
        assertEquals("mine(fab-30)", ((AttackCascade) cm.lookup("ensemble")).name());
        PropertyException e = assertThrows(PropertyException.class, () -> cm.lookup("bad"));
        assertTrue(e.getMessage().contains("beta"), e.getMessage());
    }

    @Test
    void invalidConfigurationIsRejected() throws IOException {
        ConfigurationManager cm = load("""
                <component name="bad" type="org.widerobust.plugin.attack.Pgd">
                  <property name="epsilon" value="-1"/>
                </component>
                <component name="loss" type="org.widerobust.plugin.attack.Apgd">
                  <property name="epsilon" value="0.1"/>
                  <property name="loss" value="hinge"/>
                </component>
                """);
        PropertyException e = assertThrows(PropertyException.class, () -> cm.lookup("bad"));
        assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
        e = assertThrows(PropertyException.class, () -> cm.lookup("loss"));
        assertTrue(e.getMessage().contains("hinge"), e.getMessage());
    }
}
