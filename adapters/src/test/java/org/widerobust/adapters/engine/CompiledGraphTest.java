package org.widerobust.adapters.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/** Compiled graphs built with GraphBuilder: batch sizes, pinning, copying fallback, external and int64 inputs. */
class CompiledGraphTest extends CpuEngineTest {
    private static ModelProto relu() {
        GraphBuilder g = new GraphBuilder("relu");
        g.addInput("x", DataType.FLOAT, Shapes.BATCH, 4);
        g.addNode("Relu", List.of("x"), List.of("y"));
        g.addOutput("y", DataType.FLOAT, Shapes.BATCH, 4);
        return g.build();
    }

    private static float[] values(int n, int seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(seed * 31 + i * 1.7) * 3;
        }
        return v;
    }

    private static float[] relu(float[] v) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.max(0, v[i]);
        }
        return r;
    }

    @Test
    void reluRunsWithChangingBatchSizes() {
        try (CompiledGraph g = engine.compile(relu(), "relu")) {
            assertEquals(List.of("x"), g.inputNames());
            assertEquals(List.of("y"), g.outputNames());
            FloatBuffer first = null;
            for (int batch : new int[] {3, 5, 3}) {
                float[] x = values(batch * 4, batch);
                FloatBuffer in = g.floatInput("x", batch, 4);
                assertEquals(0, in.position());
                assertEquals(batch * 4, in.limit());
                in.put(x);
                g.run(List.of("y"));
                assertArrayEquals(new long[] {batch, 4}, g.outputShape("y"));
                assertTrue(g.wasPinned("y"), "the output shape [N,4] is known, so it is pinned");
                FloatBuffer out = g.floatOutput("y");
                assertTrue(out.isReadOnly());
                assertEquals(batch * 4, out.remaining());
                float[] y = new float[out.remaining()];
                out.get(y);
                assertArrayEquals(relu(x), y, "batch " + batch);
                if (batch == 5) {
                    first = in;
                }
            }
            // after growing to 5, batch 3 reuses the same storage
            assertSame(first, g.floatInput("x", 3, 4));
        }
    }

    /** y = relu(x) · x: the Relu's output is an intermediate that lives in the session's allocator. */
    private static ModelProto reluTimesInput() {
        GraphBuilder g = new GraphBuilder("relu_times_x");
        g.addInput("x", DataType.FLOAT, Shapes.BATCH, 4);
        g.addNode("Relu", List.of("x"), List.of("r"));
        g.addNode("Mul", List.of("r", "x"), List.of("y"));
        g.addOutput("y", DataType.FLOAT, Shapes.BATCH, 4);
        return g.build();
    }

    @Test
    void perRunBuffersComputeWhatTheArenaDoes() {
        try (CompiledGraph arena = engine.compile(reluTimesInput(), "arena", Buffers.ARENA);
             CompiledGraph perRun = engine.compile(reluTimesInput(), "per run", Buffers.PER_RUN)) {
            assertEquals(Buffers.ARENA, arena.buffers());
            assertEquals(Buffers.PER_RUN, perRun.buffers());
            for (int batch : new int[] {3, 50, 3}) {
                float[] x = values(batch * 4, batch);
                float[] expected = relu(x);
                for (int i = 0; i < x.length; i++) {
                    expected[i] *= x[i];
                }
                for (CompiledGraph g : List.of(arena, perRun)) {
                    g.floatInput("x", batch, 4).put(x);
                    g.run(List.of("y"));
                    assertArrayEquals(expected, g.floatOutputArray("y"), g + " batch " + batch);
                }
            }
        }
    }

    @Test
    void outputsWithUnknownShapeAreCopied() {
        GraphBuilder b = new GraphBuilder("relu_unknown");
        b.addInput("x", DataType.FLOAT, Shapes.BATCH, 4);
        b.addNode("Relu", List.of("x"), List.of("y"));
        b.addNode("Neg", List.of("x"), List.of("z"));
        // y without any shape; z with a symbolic dim no input binds
        b.proto().addOutput(ValueInfoProto.newBuilder().setName("y").setType(
                ai.onnx.proto.OnnxMl.TypeProto.newBuilder().setTensorType(
                        ai.onnx.proto.OnnxMl.TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.getNumber()))));
        ValueInfoProto z = GraphBuilder.valueInfo("z", DataType.FLOAT, Shapes.BATCH, 4).toBuilder().build();
        z = z.toBuilder().setType(z.getType().toBuilder().setTensorType(z.getType().getTensorType().toBuilder()
                .setShape(z.getType().getTensorType().getShape().toBuilder()
                        .setDim(0, z.getType().getTensorType().getShape().getDim(0).toBuilder().setDimParam("M")))))
                .build();
        b.proto().addOutput(z);
        try (CompiledGraph g = engine.compile(b.build(), "relu_unknown")) {
            for (int batch : new int[] {2, 6, 2}) {
                float[] x = values(batch * 4, batch + 7);
                g.floatInput("x", batch, 4).put(x);
                g.run(List.of("y", "z"));
                assertFalse(g.wasPinned("y"));
                assertFalse(g.wasPinned("z"));
                assertArrayEquals(new long[] {batch, 4}, g.outputShape("y"));
                assertArrayEquals(relu(x), g.floatOutputArray("y"));
                float[] neg = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    neg[i] = -x[i];
                }
                assertArrayEquals(neg, g.floatOutputArray("z"));
            }
            g.run(List.of("y"));
            assertThrows(IllegalStateException.class, () -> g.floatOutput("z"), "z was not fetched");
        }
    }

    @Test
    void wrongDeclaredOutputShapeFallsBackToCopying() {
        GraphBuilder b = new GraphBuilder("lying");
        b.addInput("x", DataType.FLOAT, Shapes.BATCH, 4);
        String s = b.longs("shape", -1, 2);
        b.addNode("Reshape", List.of("x", s), List.of("y"));
        b.addOutput("y", DataType.FLOAT, Shapes.BATCH, 4); // wrong: really [2N, 2]
        try (CompiledGraph g = engine.compile(b.build(), "lying")) {
            float[] x = values(12, 3);
            g.floatInput("x", 3, 4).put(x);
            g.run("y");
            assertArrayEquals(new long[] {6, 2}, g.outputShape("y"));
            assertFalse(g.wasPinned("y"));
            assertArrayEquals(x, g.floatOutputArray("y"));
        }
    }

    @Test
    void externalBufferIsZeroCopy() {
        GraphBuilder b = new GraphBuilder("add");
        b.addInput("x", DataType.FLOAT, Shapes.BATCH, 3);
        b.addInput("w", DataType.FLOAT, 3);
        b.addNode("Add", List.of("x", "w"), List.of("y"));
        b.addOutput("y", DataType.FLOAT, Shapes.BATCH, 3);
        try (CompiledGraph g = engine.compile(b.build(), "add")) {
            FloatBuffer w = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder()).asFloatBuffer();
            w.put(new float[] {1, 2, 3}).flip();
            g.bindFloatInput("w", w, 3);
            g.floatInput("x", 2, 3).put(new float[] {0, 0, 0, 10, 10, 10});
            g.run("y");
            assertArrayEquals(new float[] {1, 2, 3, 11, 12, 13}, g.floatOutputArray("y"));
            w.put(0, 100f); // seen by the next run without rebinding
            g.run("y");
            assertArrayEquals(new float[] {100, 2, 3, 110, 12, 13}, g.floatOutputArray("y"));

            FloatBuffer heap = FloatBuffer.wrap(new float[3]);
            assertThrows(IllegalArgumentException.class, () -> g.bindFloatInput("w", heap, 3));
            FloatBuffer bigEndian = ByteBuffer.allocateDirect(12).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
            assertThrows(IllegalArgumentException.class, () -> g.bindFloatInput("w", bigEndian, 3));
            assertThrows(IllegalArgumentException.class, () -> g.bindFloatInput("w", w, 4), "declared [3]");
        }
    }

    @Test
    void longInputsAndOutputs() {
        GraphBuilder b = new GraphBuilder("labels");
        b.addInput("k", DataType.INT64, Shapes.BATCH);
        String two = b.longs("two", 2);
        b.addNode("Mul", List.of("k", two), List.of("y"));
        b.addOutput("y", DataType.INT64, Shapes.BATCH);
        try (CompiledGraph g = engine.compile(b.build(), "labels")) {
            LongBuffer k = g.longInput("k", 4);
            k.put(new long[] {1, 2, 3, -4});
            g.run("y");
            LongBuffer y = g.longOutput("y");
            long[] out = new long[y.remaining()];
            y.get(out);
            assertArrayEquals(new long[] {2, 4, 6, -8}, out);
            assertTrue(g.wasPinned("y"));
            assertThrows(IllegalArgumentException.class, () -> g.floatInput("k", 4));
        }
    }

    @Test
    void misuseGivesClearErrors() {
        try (CompiledGraph g = engine.compile(relu(), "relu")) {
            IllegalStateException notSet = assertThrows(IllegalStateException.class, () -> g.run("y"));
            assertTrue(notSet.getMessage().contains("'x'"), notSet.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> g.floatInput("x", 3, 5));
            assertTrue(bad.getMessage().contains("[N, 4]") || bad.getMessage().contains("4]"), bad.getMessage());
            assertThrows(IllegalArgumentException.class, () -> g.floatInput("nope", 3, 4));
            g.floatInput("x", 1, 4);
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> g.run("nope"));
            assertTrue(unknown.getMessage().contains("nope") && unknown.getMessage().contains("[y]"));
        }
        GraphBuilder b = new GraphBuilder("broken");
        b.addInput("x", DataType.FLOAT, Shapes.BATCH, 4);
        b.addNode("NoSuchOp", List.of("x"), List.of("y"));
        b.addOutput("y", DataType.FLOAT, Shapes.BATCH, 4);
        EngineException e = assertThrows(EngineException.class, () -> engine.compile(b.build(), "broken graph"));
        assertTrue(e.getMessage().contains("broken graph"), e.getMessage());
    }

    @Test
    void closingTheEngineClosesItsGraphs() {
        Engine e = Engine.create(DeviceSpec.CPU, 1);
        CompiledGraph g = e.compile(relu(), "relu");
        e.close();
        assertThrows(IllegalStateException.class, () -> g.floatInput("x", 1, 4));
        assertThrows(IllegalStateException.class, () -> e.compile(relu(), "relu"));
    }

    @Test
    void memoryStats() {
        long now = MemoryStats.currentResidentBytes();
        long peak = MemoryStats.peakResidentBytes();
        if (peak > 0) {
            assertTrue(now > 0 && now <= peak, now + " <= " + peak);
        }
    }
}
