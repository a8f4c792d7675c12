package org.widerobust.plugin.train;

import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.loss.LossHead;
import org.widerobust.descriptors.loss.PgdLambdaLoss;
import org.widerobust.descriptors.loss.TradesLoss;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.train.war.FixedLambda;
import org.widerobust.plugin.train.war.LambdaRule;

/**
 * The parameter-gradient pass of a training step: which objective's graph runs, on which rows.
 * <ul>
 *   <li>{@link #CLEAN}: {@code natural} training, the cross-entropy on the clean batch x ({@code [n, …]}).</li>
 *   <li>{@link #DOUBLED}: the λ-form objectives (TRADES, λ-form PGD; Wu et al., NeurIPS 2021, eq. 2) on the doubled
 *   batch {@code [x; x']} ({@code [2n, …]}).</li>
 *   <li>{@link #ADVERSARIAL}: PGD at a fixed λ = 1 on a network without batch norm, the cross-entropy on x' alone
 *   ({@code [n, …]}). This is Madry et al.'s objective, and the same gradient as the λ form's: there the clean half's
 *   logit gradient is {@code (1 − λ)(softmax(z) − onehot(y)) = 0}, and without batch norm the clean rows touch no
 *   other row. Half the rows make the pass half the work (docs/benchmarks.md, "The PGD training step as trained").
 *   The natural risk R_nat = CE(x) that the λ rule and the logs track is then taken from the clean logits the step
 *   already computes ({@link org.widerobust.plugin.attack.Scores#meanCrossEntropy}), and R_rob = CE(x') − R_nat.
 *   With batch norm the clean half still shapes the batch statistics, so such networks keep {@link #DOUBLED}.</li>
 * </ul>
 */
enum ParameterPass {
    /** Cross-entropy on x (natural training). */
    CLEAN("cross-entropy on x (n rows)"),
    /** The method's λ-form objective on {@code [x; x']}. */
    DOUBLED("the λ-form objective on [x; x'] (2n rows)"),
    /** Cross-entropy on x' (PGD at a fixed λ = 1 without batch norm). */
    ADVERSARIAL("cross-entropy on x' (n rows; PGD at a fixed λ = 1 without batch norm, Madry et al.)");

    private final String description;

    ParameterPass(String description) {
        this.description = description;
    }

    /** What the pass computes, for logs and {@code train.json}. */
    String description() {
        return description;
    }

    /**
     * The pass of a run.
     *
     * @param method  the training method
     * @param rule    the λ rule
     * @param lambda0 the base λ₀
     * @param network the training form of the network
     */
    static ParameterPass of(TrainingMethod method, LambdaRule rule, double lambda0, Network network) {
        return switch (method) {
            case NATURAL -> CLEAN;
            case TRADES -> DOUBLED;
            case PGD -> rule instanceof FixedLambda && lambda0 == 1.0 && network.batchNorms().isEmpty()
                    ? ADVERSARIAL : DOUBLED;
        };
    }

    /** The loss head whose graph the pass runs for {@code method}. */
    LossHead head(TrainingMethod method) {
        return switch (this) {
            case CLEAN, ADVERSARIAL -> new CrossEntropyLoss();
            case DOUBLED -> method == TrainingMethod.TRADES ? new TradesLoss() : new PgdLambdaLoss();
        };
    }
}
