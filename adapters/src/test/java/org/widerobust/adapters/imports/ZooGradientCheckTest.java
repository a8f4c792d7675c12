package org.widerobust.adapters.imports;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.widerobust.adapters.data.Npy;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.engine.Fixtures;
import org.widerobust.adapters.network.LossTargets;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.descriptors.autodiff.Differentiator;
import org.widerobust.descriptors.network.Network;

/**
 * An optional check over the exports that {@code fixtures/pytorch-more/export_zoo.py} writes (torchvision's resnet,
 * mobilenet_v2/v3, efficientnet, densenet, convnext, ViT; RobustBench's PreActResNet and WideResNet; some at
 * opsets 11 and 12): every one differentiates and its input gradient agrees with PyTorch's to 1e-4 relative. Runs
 * only with {@code -Dwiderobust.zoo=DIR}, since the exports are large and CI has no torch.
 */
@EnabledIfSystemProperty(named = "widerobust.zoo", matches = ".+")
class ZooGradientCheckTest {
    @Test
    void everyArchitectureDifferentiatesLikePyTorch() throws IOException {
        Path dir = Path.of(System.getProperty("widerobust.zoo"));
        List<String> bad = new ArrayList<>();
        int checked = 0;
        try (Engine engine = Engine.create(DeviceSpec.CPU, 0); var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".onnx")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".onnx", "");
                Network net = OnnxClassifierImporter.load(f, new float[] {0, 1});
                var blockers = Differentiator.blockers(net);
                if (!blockers.isEmpty()) {
                    bad.add(name + ": " + blockers);
                    continue;
                }
                float[] x = Npy.read(dir.resolve(name + ".x.npy")).toFloats();
                float[] expected = Npy.read(dir.resolve(name + ".g.npy")).toFloats();
                int n = x.length / net.exampleLength();
                int[] y = new int[n];
                for (int i = 0; i < n; i++) {
                    y[i] = i % net.numClasses();
                }
                try (NetworkSession s = new NetworkSession(engine, net)) {
                    float[] g = new float[expected.length];
                    s.lossGradient("ce", x, n, LossTargets.labels(y), g, null, null);
                    double rel = Fixtures.relativeL2(g, expected);
                    System.out.printf("zoo %-28s input gradient relative L2 %.2e%n", name, rel);
                    if (!(rel <= 1e-4)) {
                        bad.add(name + ": relative L2 " + rel);
                    }
                }
                checked++;
            }
        }
        assertTrue(checked > 0 && bad.isEmpty(), checked + " checked; " + bad);
    }
}
