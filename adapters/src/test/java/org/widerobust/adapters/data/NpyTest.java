package org.widerobust.adapters.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class NpyTest {
    @TempDir
    Path tmp;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(NpyTest.class.getResource(name).toURI());
    }

    @Test
    void readsNumpyFixtures() throws Exception {
        Npy.Array x = Npy.read(fixture("fixture_f32.npy"));
        assertEquals(Npy.DType.FLOAT32, x.dtype());
        assertArrayEquals(new long[]{2, 1, 3, 3}, x.shape());
        float[] f = x.toFloats();
        assertEquals(18, f.length);
        assertEquals(-0.5f, f[0]);
        assertEquals((float) (17 / 10.0 - 0.5), f[17], 1e-6f);
        Npy.Array y = Npy.read(fixture("fixture_i64.npy"));
        assertArrayEquals(new long[]{2}, y.shape());
        assertArrayEquals(new int[]{7, 3}, y.toInts());
        Npy.Array u = Npy.read(fixture("fixture_u8.npy"));
        assertArrayEquals(new float[]{0, 255, 128, 1}, u.toFloats());
        Npy.Array s = Npy.read(fixture("fixture_f64_scalar.npy"));
        assertEquals(0, s.shape().length);
        assertArrayEquals(new float[]{2.5f}, s.toFloats());
        Npy.Array v2 = Npy.read(fixture("fixture_v2_i32.npy"));
        assertArrayEquals(new int[]{1, -2, 3}, v2.toInts());
    }

    @Test
    void roundTrips() throws IOException {
        Path p = tmp.resolve("a.npy");
        float[] f = {1.5f, -2f, 3.25f, 0f, 7f, 8f};
        Npy.write(p, f, 2, 3);
        Npy.Array a = Npy.read(p);
        assertArrayEquals(new long[]{2, 3}, a.shape());
        assertArrayEquals(f, a.toFloats());
        byte[] all = Files.readAllBytes(p);
        int headerEnd = 10 + (all[8] & 0xFF);
        assertEquals(0, headerEnd % 64);
        assertEquals('\n', all[headerEnd - 1]);

        Npy.write(p, new long[]{5, -6}, 2);
        assertArrayEquals(new long[]{5, -6}, Npy.read(p).toLongs());
        String header = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'shape': (2,)"), header);
        Npy.write(p, new double[]{0.1, 0.2}, 1, 2);
        assertEquals(Npy.DType.FLOAT64, Npy.read(p).dtype());
        Npy.write(p, new int[]{1, 2, 3}, 3);
        assertThrows(IllegalArgumentException.class, () -> Npy.write(p, new int[]{1, 2, 3}, 2));
        Npy.write(p, new byte[]{(byte) 200}, 1);
        assertArrayEquals(new int[]{200}, Npy.read(p).toInts());
    }

    @Test
    void badFiles() throws Exception {
        Path p = tmp.resolve("bad.npy");
        Files.write(p, "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));
        Npy.NpyFormatException e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("magic"), e.getMessage());

        byte[] good = Files.readAllBytes(fixture("fixture_f32.npy"));
        Files.write(p, Arrays.copyOf(good, good.length - 5));
        e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Files.write(p, Arrays.copyOf(good, 40));
        e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        String s = new String(good, StandardCharsets.ISO_8859_1).replace("<f4", ">f4");
        Files.write(p, s.getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("unsupported dtype '>f4'"), e.getMessage());

        s = new String(good, StandardCharsets.ISO_8859_1).replace("False", "True ");
        Files.write(p, s.getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("Fortran"), e.getMessage());

        s = new String(good, StandardCharsets.ISO_8859_1).replace("'shape'", "'shapX'");
        Files.write(p, s.getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("malformed header"), e.getMessage());
    }
}
