package org.widerobust.plugin.train.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.plugin.train.AdversarialTrainer;

/** The λ rules are OLCUT components: configured from a file, validated, and recorded in the trainer's provenance. */
class LambdaRuleConfigTest {
    private static Path config(Path dir, String ruleProperties) throws Exception {
        Path f = dir.resolve("trainer.xml");
        Files.writeString(f, """
                <?xml version="1.0" encoding="UTF-8"?>
                <config>
                  <component name="war" type="org.widerobust.plugin.train.war.RatioRule">
                    %s
                  </component>
                  <component name="trainer" type="org.widerobust.plugin.train.AdversarialTrainer">
                    <property name="family" value="mlp"/>
                    <property name="width" value="2"/>
                    <property name="lambdaRule" value="war"/>
                  </component>
                </config>
                """.formatted(ruleProperties));
        return f;
    }

    @Test
    void ratioRuleFromAConfigurationFile(@TempDir Path tmp) throws Exception {
        ConfigurationManager cm = new ConfigurationManager(config(tmp, """
                <property name="referenceRatio" value="0.05"/>
                <property name="gamma" value="0.3"/>
                <property name="interval" value="7"/>""").toString());
        AdversarialTrainer t = (AdversarialTrainer) cm.lookup("trainer");
        RatioRule r = (RatioRule) t.lambdaRule();
        assertEquals(0.05, r.referenceRatio(), 0);
        // the run's header names the rule, its reference and ceiling (a field report: it showed only lambda=6.0)
        assertTrue(t.toString().contains("lambda0=6.0 (WAR ratio rule: rho_ref 0.05000, lambda_max 24.0)"), t.toString());
        assertEquals(7, r.settings(6).get("interval"));
        // the ceiling actually used is written, not a null beside its default factor
        assertEquals(24.0, r.settings(6).get("lambda_max"));
        assertEquals(2.0, r.settings(0.5).get("lambda_max"));
        // the fingerprint holds rho_ref, not where it came from; a checkpoint of an earlier version, which also
        // held the reference's path, still matches
        assertEquals("{rule=ratio, rho_ref=0.05, gamma=0.3, interval=7, window=20, lambda_max=null, "
                + "lambda_max_factor=4.0}", r.fingerprint(6));
        assertEquals(org.widerobust.plugin.train.Checkpoint.comparable("x {rule=ratio, rho_ref=0.05, rho_ref_source="
                + "../runs/ref/model.tribuo, gamma=0.3, interval=7, window=20, lambda_max=null, "
                + "lambda_max_factor=4.0}"), org.widerobust.plugin.train.Checkpoint.comparable("x " + r.fingerprint(6)));
        String prov = ProvenanceUtil.formattedProvenanceString(t.getProvenance());
        assertTrue(prov.contains("RatioRule") && prov.contains("gamma") && prov.contains("0.3"), prov);
    }

    @Test
    void invalidRuleIsRejectedOnLookup(@TempDir Path tmp) throws Exception {
        ConfigurationManager cm = new ConfigurationManager(config(tmp, """
                <property name="referenceRatio" value="0.05"/>
                <property name="gamma" value="-1"/>""").toString());
        assertThrows(PropertyException.class, () -> cm.lookup("trainer"));
    }
}
