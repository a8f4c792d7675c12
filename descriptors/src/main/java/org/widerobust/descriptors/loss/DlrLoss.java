package org.widerobust.descriptors.loss;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.ArrayList;
import java.util.List;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/**
 * Difference-of-logits-ratio loss of Croce and Hein (2020), to be maximised. With {@code π} the logits sorted in
 * decreasing order:
 * <ul>
 *   <li>untargeted: {@code -(z_y - max_{j≠y} z_j) / (z_π1 - z_π3 + 1e-12)} (needs 3 classes);</li>
 *   <li>targeted: {@code -(z_y - z_t) / (z_π1 - (z_π3 + z_π4) / 2 + 1e-12)} with the target class {@value #TARGET}
 *   (needs 4 classes).</li>
 * </ul>
 */
public final class DlrLoss implements LossHead {
    /** Name of the int64 target-class input {@code [N]} of the targeted form. */
    public static final String TARGET = "target_labels";

    private final boolean targeted;

    public DlrLoss(boolean targeted) {
        this.targeted = targeted;
    }

    public boolean targeted() {
        return targeted;
    }

    @Override
    public String name() {
        return targeted ? "dlr-targeted" : "dlr";
    }

    @Override
    public List<ValueInfoProto> inputs(int numClasses) {
        List<ValueInfoProto> in = new ArrayList<>(LossGraphs.labelsOnly());
        if (targeted) {
            in.add(GraphBuilder.valueInfo(TARGET, DataType.INT64, Shapes.BATCH));
        }
        return in;
    }

    @Override
    public Outputs build(GraphBuilder g, String logits, int k, Reduction r) {
        int need = targeted ? 4 : 3;
        if (k < need) {
            throw new IllegalArgumentException("the " + name() + " loss needs at least " + need + " classes, got " + k);
        }
        String yHot = LossGraphs.oneHot(g, LossGraphs.LABELS, k);
        String zy = LossGraphs.pick(g, logits, yHot);
        String otherHot;
        String zOther;
        if (targeted) {
            otherHot = LossGraphs.oneHot(g, TARGET, k);
            zOther = LossGraphs.pick(g, logits, otherHot);
        } else {
            String[] mo = LossGraphs.maxOther(g, logits, yHot, k);
            zOther = mo[0];
            otherHot = mo[1];
        }
        String[] top = g.ops("TopK", List.of(logits, g.longs("k", need)), 2, Attr.i("axis", 1));
        String[] hot = new String[need];
        String[] val = new String[need];
        for (int i = 0; i < need; i++) {
            String idx = g.op("Gather", top[1], g.longs("col", i), Attr.i("axis", 1));
            hot[i] = LossGraphs.oneHot(g, g.op("Squeeze", idx, g.longs("axes", 1)), k);
            val[i] = LossGraphs.pick(g, logits, hot[i]);
        }
        String half = g.scalar("half", 0.5f);
        String denRest;
        String dDen;
        if (targeted) {
            denRest = g.op("Mul", g.op("Add", val[2], val[3]), half);
            dDen = g.op("Sub", hot[0], g.op("Mul", g.op("Add", hot[2], hot[3]), half));
        } else {
            denRest = val[2];
            dDen = g.op("Sub", hot[0], hot[2]);
        }
        String den = g.op("Add", g.op("Sub", val[0], denRest), g.scalar("eps", 1e-12f));
        String num = g.op("Sub", zy, zOther);
        String per = g.op("Neg", g.op("Div", num, den));
        // d(-num/den) = -dnum/den + num/den^2 * dden
        String denCol = LossGraphs.column(g, den);
        String dNum = g.op("Sub", yHot, otherHot);
        String ratio = LossGraphs.column(g, g.op("Div", num, g.op("Mul", den, den)));
        String grad = g.op("Sub", g.op("Mul", ratio, dDen), g.op("Div", dNum, denCol));
        return new Outputs(per, LossGraphs.reduce(g, per, r), LossGraphs.scale(g, grad, logits, r));
    }
}
