package org.widerobust.descriptors.loss;

import java.util.List;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;

/**
 * The PGD adversarial-training objective in the paper's λ form (Wu et al., NeurIPS 2021, eq. 2 with L the
 * cross-entropy), over a doubled batch {@code [x; x']} with x' from PGD on the cross-entropy:
 * {@code CE(f(x), y) + λ·(CE(f(x'), y) − CE(f(x), y))} per example. λ = 1 is Madry et al.'s objective (cross-entropy
 * on x' alone: the clean half then gets a zero gradient); any λ ≥ 0 is allowed. {@code R_nat = CE(x)},
 * {@code R_rob = CE(x') − CE(x)}.
 * <p>
 * Gradient with respect to the logits: clean half {@code (1 − λ)(softmax(z) − onehot(y))}, adversarial half
 * {@code λ(softmax(z') − onehot(y))}. Per-example values and the MEAN reduction refer to the clean half's size.
 */
public final class PgdLambdaLoss implements RegularizedObjective {
    @Override
    public String name() {
        return "pgd-lambda";
    }

    @Override
    public Outputs build(GraphBuilder g, String logits, int k, Reduction r) {
        Halves halves = Halves.of(g, logits, k);
        String zNat = halves.zNat();
        String oneHot = halves.oneHot();
        String logp = halves.logp();
        String logq = halves.logq();
        String ceNat = LossGraphs.crossEntropyRows(g, oneHot, logp);
        String ceAdv = LossGraphs.crossEntropyRows(g, oneHot, logq);
        String robust = g.op("Sub", ceAdv, ceNat);
        String per = g.op("Add", ceNat, g.op("Mul", robust, LAMBDA));
        RegularizedObjective.emitParts(g, ceNat, robust);
        String keep = g.op("Sub", g.scalar("one", 1f), LAMBDA);
        String gNat = g.op("Mul", g.op("Sub", g.op("Exp", logp), oneHot), keep);
        String gAdv = g.op("Mul", g.op("Sub", g.op("Exp", logq), oneHot), LAMBDA);
        String grad = g.op("Concat", List.of(gNat, gAdv), Attr.i("axis", 0));
        return new Outputs(per, LossGraphs.reduce(g, per, r), LossGraphs.scale(g, grad, zNat, r));
    }
}
