import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times ONNX graphs that take the same float inputs on ONNX Runtime's CPU provider, interleaved: rounds of 10 runs
 * per graph, the median of each printed in milliseconds. The sessions share one pool of 2 threads without spinning
 * and use all graph optimisations, as widerobust's engine does on this machine (sessions with pools of their own
 * left threads spinning between graphs and slowed the next graph up to 2.5 times). First checks that every graph
 * gives the first one's outputs (the largest absolute difference against the outputs' scale). Inputs are standard
 * normal, seeded. Compile it first:
 *
 * <pre>
 * ORT=plugin/target/lib/onnxruntime_gpu-1.26.0.jar
 * javac -d /tmp/ogt -cp $ORT bench/OrtGraphTimer.java
 * java -cp $ORT:/tmp/ogt OrtGraphTimer ROUNDS A.onnx B.onnx ...
 * </pre>
 *
 * Used with bench/weight_gradient_forms.py for the convolution weight-gradient formulations (docs/benchmarks.md).
 */
public final class OrtGraphTimer {
    public static void main(String[] args) throws OrtException {
        if (args.length < 2) {
            fail("usage: OrtGraphTimer ROUNDS A.onnx [B.onnx ...]");
        }
        int rounds = 0;
        try {
            rounds = Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            fail("ROUNDS must be a whole number, got '" + args[0] + "'");
        }
        if (rounds < 1) {
            fail("ROUNDS must be at least 1, got " + rounds);
        }
        List<String> graphs = Arrays.asList(args).subList(1, args.length);
        for (String g : graphs) {
            if (!Files.isRegularFile(Path.of(g))) {
                fail(g + " is not a file");
            }
        }
        OrtEnvironment env;
        try (OrtEnvironment.ThreadingOptions pool = new OrtEnvironment.ThreadingOptions()) {
            pool.setGlobalIntraOpNumThreads(2);
            pool.setGlobalInterOpNumThreads(1);
            pool.setGlobalSpinControl(false);
            env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "OrtGraphTimer", pool);
        }
        List<OrtSession> sessions = new ArrayList<>();
        for (String g : graphs) {
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.disablePerSessionThreads();
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try {
                sessions.add(env.createSession(g, o));
            } catch (OrtException e) {
                fail(g + " is not an ONNX graph ONNX Runtime can load: " + e.getMessage());
            }
        }
        String signature = signature(sessions.get(0));
        for (int i = 1; i < sessions.size(); i++) {
            if (!signature(sessions.get(i)).equals(signature)) {
                fail(graphs.get(i) + " takes other inputs than " + graphs.get(0) + ": " + signature(sessions.get(i))
                        + " against " + signature);
            }
        }
        Map<String, OnnxTensor> inputs = inputs(env, sessions.get(0));
        List<float[]> reference = null;
        for (int i = 0; i < sessions.size(); i++) {
            List<float[]> outs = outputs(sessions.get(i), inputs);
            if (reference == null) {
                reference = outs;
                continue;
            }
            double diff = 0;
            double scale = 0;
            for (int j = 0; j < outs.size(); j++) {
                for (int q = 0; q < outs.get(j).length; q++) {
                    diff = Math.max(diff, Math.abs(outs.get(j)[q] - reference.get(j)[q]));
                    scale = Math.max(scale, Math.abs(reference.get(j)[q]));
                }
            }
            System.out.printf("%s against %s: largest difference %.3g, outputs' scale %.3g%n", graphs.get(i),
                    graphs.get(0), diff, scale);
        }
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < sessions.size(); i++) {
                double[] ms = new double[10];
                for (int k = 0; k < ms.length; k++) {
                    long start = System.nanoTime();
                    sessions.get(i).run(inputs).close();
                    ms[k] = (System.nanoTime() - start) / 1e6;
                }
                Arrays.sort(ms);
                System.out.printf("round %d %s: median %.1f ms (fastest %.1f)%n", round, graphs.get(i), ms[5], ms[0]);
            }
        }
    }

    /** The graph's input names and shapes, for comparing graphs. */
    private static String signature(OrtSession session) throws OrtException {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            b.append(e.getKey()).append(Arrays.toString(((TensorInfo) e.getValue().getInfo()).getShape())).append(' ');
        }
        return b.toString().trim();
    }

    private static Map<String, OnnxTensor> inputs(OrtEnvironment env, OrtSession session) throws OrtException {
        Random random = new Random(1);
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
            int n = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
            FloatBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int i = 0; i < n; i++) {
                b.put(i, (float) random.nextGaussian());
            }
            in.put(e.getKey(), OnnxTensor.createTensor(env, b, shape));
        }
        return in;
    }

    private static List<float[]> outputs(OrtSession session, Map<String, OnnxTensor> inputs) throws OrtException {
        List<float[]> out = new ArrayList<>();
        try (OrtSession.Result result = session.run(inputs)) {
            for (int j = 0; j < result.size(); j++) {
                FloatBuffer fb = ((OnnxTensor) result.get(j)).getFloatBuffer();
                float[] f = new float[fb.remaining()];
                fb.get(f);
                out.add(f);
            }
        }
        return out;
    }

    private static void fail(String message) {
        System.err.println("OrtGraphTimer: " + message);
        System.exit(2);
    }
}
