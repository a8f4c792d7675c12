package org.widerobust.plugin.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator and its attacks from an OLCUT configuration file. */
class EvaluatorConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void evaluatorWithConfiguredAttacksLoads() throws Exception {
        Path f = dir.resolve("eval.xml");
        Files.writeString(f, """
                <?xml version="1.0" encoding="UTF-8"?>
                <config>
                  <component name="pgd" type="org.widerobust.plugin.attack.Pgd">
                    <property name="epsilon" value="0.03"/>
                    <property name="steps" value="5"/>
                  </component>
                  <component name="square" type="org.widerobust.plugin.attack.SquareAttack">
                    <property name="epsilon" value="0.03"/>
                    <property name="queries" value="50"/>
                  </component>
                  <component name="evaluator" type="org.widerobust.plugin.eval.RobustnessEvaluator">
                    <propertylist name="attacks"><item>pgd</item><item>square</item></propertylist>
                    <property name="batchSize" value="17"/>
                    <property name="lipschitz" value="true"/>
                  </component>
                </config>
                """);
        ConfigurationManager cm = new ConfigurationManager(f.toString());
        RobustnessEvaluator ev = (RobustnessEvaluator) cm.lookup("evaluator");
        assertEquals(2, ev.attacks().size());
        assertEquals("square", ev.attacks().get(1).name().substring(0, 6));
        var prov = ev.getProvenance();
        assertTrue(prov.getConfiguredParameters().containsKey("attacks"));
        assertEquals("17", prov.getConfiguredParameters().get("batchSize").toString().replaceAll("\\D", ""));
    }
}
