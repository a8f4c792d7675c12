package org.widerobust.plugin.attack;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

/**
 * The fast gradient (sign) method (Goodfellow et al. 2015): one steepest-ascent step of size ε on the loss —
 * {@code x + ε·sign(∇)} for L∞, {@code x + ε·∇/‖∇‖₂} for L2 — clipped to the input box.
 */
public final class Fgsm extends AbstractAttack {
    @Config(description = "Loss to maximise: ce, kl, cw or dlr.")
    private String loss = "ce";

    private Pgd step;

    /** For OLCUT: set the {@code @Config} fields, then {@link #postConfig()} validates them. */
    public Fgsm() {}

    /** FGSM on the cross-entropy. */
    public Fgsm(double epsilon, Norm norm) {
        this(epsilon, norm, "ce");
    }

    public Fgsm(double epsilon, Norm norm, String loss) {
        super(epsilon, norm);
        this.loss = loss;
        postConfig();
    }

    @Override
    public void postConfig() {
        super.postConfig();
        if (loss == null || !UNTARGETED_LOSSES.contains(loss)) {
            throw new PropertyException("", "loss", "unknown loss '" + loss + "'; use one of " + UNTARGETED_LOSSES);
        }
        step = new Pgd(epsilon, norm, 1, epsilon, 1, false, false, loss);
    }

    @Override
    public String name() {
        return "ce".equals(loss) ? "fgsm" : "fgsm-" + loss;
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    protected AttackResult attackBatch(AttackTarget target, float[] x, int[] labels, int n, long seed) {
        return step.attack(target, x, labels, n, seed);
    }
}
