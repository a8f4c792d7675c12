package org.widerobust.plugin.train.war;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.Map;

/**
 * How λ of a λ-form objective {@code R_nat + λ·R_rob} evolves during a training run. A rule is configuration only;
 * {@link #start} gives the per-run state.
 */
public interface LambdaRule extends Configurable, Provenancable<ConfiguredObjectProvenance> {
    /** The rule's name on the command line: {@code fixed}, {@code ratio} or {@code power}. */
    String name();

    /**
     * The state of one run.
     *
     * @param lambda0 the base λ₀ (the trainer's λ, ≥ 0)
     * @param width   the network's width factor k (> 0)
     * @throws IllegalArgumentException if the rule's settings do not suit λ₀ (for example λ_max below λ₀)
     */
    LambdaController start(double lambda0, double width);

    /**
     * The settings in effect for a run at λ₀, as a JSON-ready map: the name, and every value the rule uses, with
     * defaults that depend on λ₀ resolved (for ratio also ρ_ref and where it came from).
     *
     * @param lambda0 the run's base λ₀
     */
    Map<String, Object> settings(double lambda0);

    /**
     * What of the rule determines the trained weights, as the text a checkpoint's fingerprint holds; a run resumes
     * only from a checkpoint with the same fingerprint, so this text stays the same across versions.
     */
    default String fingerprint(double lambda0) {
        return settings(lambda0).toString();
    }

    @Override
    default ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "LambdaRule");
    }
}
