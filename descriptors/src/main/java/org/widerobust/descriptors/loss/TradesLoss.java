package org.widerobust.descriptors.loss;

import java.util.List;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;

/**
 * The TRADES training objective over a doubled batch {@code [x; x']} (clean examples first, their adversarial
 * versions second): {@code CE(f(x), y) + λ · KL(softmax f(x) ‖ softmax f(x'))}, with λ the scalar graph input
 * {@value #LAMBDA} so that width-adjusted schedules change it without rebuilding the graph. Gradients flow into
 * both halves. Per-example values and reductions refer to the clean half's batch size. {@code R_nat} is the
 * cross-entropy, {@code R_rob} the KL divergence.
 */
public final class TradesLoss implements RegularizedObjective {
    /** Name of the float scalar λ input (the same for every {@link RegularizedObjective}). */
    public static final String LAMBDA = RegularizedObjective.LAMBDA;

    @Override
    public String name() {
        return "trades";
    }

    @Override
    public Outputs build(GraphBuilder g, String logits, int k, Reduction r) {
        Halves halves = Halves.of(g, logits, k);
        String zNat = halves.zNat();
        String oneHot = halves.oneHot();
        String logp = halves.logp();
        String logq = halves.logq();
        String p = g.op("Exp", logp);
        String q = g.op("Exp", logq);
        String ce = LossGraphs.crossEntropyRows(g, oneHot, logp);
        // KL(p||q) = sum p (log p - log q); softmax never returns exact zeros here, log p comes from LogSoftmax.
        String h = g.op("Sub", logp, logq);
        String kl = LossGraphs.rowSum(g, g.op("Mul", p, h));
        String per = g.op("Add", ce, g.op("Mul", kl, LAMBDA));
        RegularizedObjective.emitParts(g, ce, kl);
        // d/dz_nat: (p - y) + λ p (h - <p, h>);  d/dz_adv: λ (q - p)
        String centred = g.op("Sub", h, LossGraphs.column(g, kl));
        String gNat = g.op("Add", g.op("Sub", p, oneHot), g.op("Mul", g.op("Mul", p, centred), LAMBDA));
        String gAdv = g.op("Mul", g.op("Sub", q, p), LAMBDA);
        String grad = g.op("Concat", List.of(gNat, gAdv), Attr.i("axis", 0));
        return new Outputs(per, LossGraphs.reduce(g, per, r), LossGraphs.scale(g, grad, zNat, r));
    }
}
