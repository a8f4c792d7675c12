package org.widerobust.descriptors.graph;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Whole-graph rewrites. */
public final class GraphRewrites {
    private GraphRewrites() {}

    /**
     * Turns the named initializers into graph inputs of the same shape, so that their values are fed at run time
     * (zero-copy from direct buffers) instead of being baked into the session.
     */
    public static ModelProto initializersToInputs(ModelProto model, Collection<String> names) {
        Set<String> move = new HashSet<>(names);
        GraphProto.Builder g = model.getGraph().toBuilder().clearInitializer();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (move.remove(t.getName())) {
                g.addInput(GraphBuilder.valueInfo(t.getName(), DataType.forNumber(t.getDataType()), Tensors.dims(t)));
            } else {
                g.addInitializer(t);
            }
        }
        if (!move.isEmpty()) {
            throw new GraphException("not initializers of the graph: " + move);
        }
        return model.toBuilder().setGraph(g).build();
    }
}
