package org.widerobust.adapters.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Device specs, and CUDA selection on a machine without a GPU. */
class DeviceTest {

    @Test
    void parsesTheAcceptedForms() {
        assertEquals(new DeviceSpec(DeviceSpec.Kind.AUTO, 0), DeviceSpec.parse("auto"));
        assertEquals(DeviceSpec.CPU, DeviceSpec.parse(" CPU "));
        assertEquals(DeviceSpec.cuda(0), DeviceSpec.parse("cuda"));
        assertEquals(DeviceSpec.cuda(0), DeviceSpec.parse("cuda:0"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.CUDA, 3), DeviceSpec.parse("CUDA:3"));
        assertEquals("cuda:3", DeviceSpec.parse("cuda:3").toString());
        assertEquals("auto", DeviceSpec.parse("auto").toString());
        assertEquals("cpu", DeviceSpec.CPU.toString());
    }

    @Test
    void rejectsBadSpecsNamingThemAndTheAcceptedForms() {
        for (String bad : new String[] {"gpu", "cuda:x", "cuda:", "cuda:-1", "cuda0", "", "cpu:1", "auto:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("auto, cpu, cuda, cuda:N"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse(null));
        assertThrows(IllegalArgumentException.class, () -> new DeviceSpec(DeviceSpec.Kind.CPU, 1));
    }

    private static void assumeNoGpu() {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidiactl")) || Files.exists(Path.of("/dev/dxg")),
                "this machine has a GPU driver");
    }

    @Test
    void autoFallsBackToCpuAndSaysWhy() {
        assumeNoGpu();
        try (Engine e = Engine.create(DeviceSpec.AUTO, 0)) {
            assertFalse(e.usesCuda());
            String d = e.deviceDescription();
            assertTrue(d.startsWith("cpu (") && d.contains("CUDA unavailable: "), d);
        }
        try (Engine e = Engine.create(DeviceSpec.CPU, 0)) {
            assertTrue(e.deviceDescription().startsWith("cpu (") && !e.deviceDescription().contains("CUDA"),
                    e.deviceDescription());
        }
    }

    @Test
    void explicitCudaWithoutCudaIsAClearError() {
        assumeNoGpu();
        for (String spec : new String[] {"cuda", "cuda:1"}) {
            DeviceSpec d = DeviceSpec.parse(spec);
            EngineException e = assertThrows(EngineException.class, () -> Engine.create(d, 0));
            assertTrue(e.getMessage().startsWith("CUDA device " + d.deviceId() + " requested but the CUDA execution "
                    + "provider could not be loaded: "), e.getMessage());
            assertTrue(e.getMessage().endsWith("Use --device cpu or auto."), e.getMessage());
        }
    }

    @Test
    void loadingTheCudaProviderWithoutCudaLibrariesFailsCleanly() {
        assumeNoGpu();
        // Bypasses the driver check: really asks ONNX Runtime for the CUDA provider (takes ~3 s, once).
        Engine.CudaStatus s = Engine.probeCuda(0, true);
        assertFalse(s.available());
        assertTrue(s.reason().contains("Failed to load shared library") || s.reason().contains("missing"), s.reason());
    }
}
