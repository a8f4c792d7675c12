package org.widerobust.adapters.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.data.Npy;

/** Atomic writes: permissions from the umask, nothing half-written, leftovers cleaned, writability checked. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    /** The permissions a plain new file gets in {@code dir}: 0666 masked by the umask. */
    static Set<PosixFilePermission> plainFilePermissions(Path dir) throws IOException {
        Path p = Files.createFile(dir.resolve("plain-" + System.nanoTime()));
        try {
            return Files.getPosixFilePermissions(p);
        } finally {
            Files.delete(p);
        }
    }

    @Test
    void writtenFilesFollowTheUmaskLikeAPlainNewFile() throws IOException {
        Path f = tmp.resolve("sub/report.json");
        AtomicFiles.write(f, "{}".getBytes());
        assertEquals("{}", Files.readString(f));
        assertEquals(plainFilePermissions(f.getParent()), Files.getPosixFilePermissions(f));
        Path npy = tmp.resolve("a.npy");
        Npy.write(npy, new float[] {1, 2}, 2);
        assertEquals(plainFilePermissions(tmp), Files.getPosixFilePermissions(npy));
        // replacing a 0600 file gives the new file the umask's permissions too
        Files.setPosixFilePermissions(f, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        AtomicFiles.write(f, "[]".getBytes());
        assertEquals(plainFilePermissions(tmp), Files.getPosixFilePermissions(f));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = tmp.resolve("model.onnx");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        // the error names the file being written (a field report: "File too large" named none)
        assertEquals(f.toAbsolutePath() + ": disk full", e.getMessage());
        assertEquals("disk full", e.getCause().getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void aDirectoryIsReplacedAsAWholeAndFollowsTheUmask() throws IOException {
        Path dir = tmp.resolve("adv");
        AtomicFiles.writeDirectory(dir, d -> {
            AtomicFiles.write(d.resolve("a.npy"), new byte[] {1});
            AtomicFiles.write(d.resolve("per_attack/pgd-20/x.npy"), new byte[] {2});
            return null;
        });
        Path plainDir = Files.createDirectory(tmp.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plainDir), Files.getPosixFilePermissions(dir));
        List<Path> written = AtomicFiles.writeDirectory(dir, d -> {
            AtomicFiles.write(d.resolve("a.npy"), new byte[] {3});
            AtomicFiles.write(d.resolve("per_attack/pgd-5/x.npy"), new byte[] {4});
            return List.of(d.resolve("a.npy"));
        });
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(dir.resolve("a.npy")));
        assertTrue(Files.exists(dir.resolve("per_attack/pgd-5/x.npy")));
        assertFalse(Files.exists(dir.resolve("per_attack/pgd-20")), "nothing of the old directory is kept");
        assertEquals(1, written.size());
        try (var s = Files.list(tmp)) {
            assertEquals(Set.of(dir, plainDir), Set.copyOf(s.toList()), "no staging or old directory is left");
        }
    }

    @Test
    void aLinkedDirectoryIsReplacedAtItsTargetAndAKilledWriteIsRecovered() throws IOException {
        Path target = tmp.resolve("target");
        AtomicFiles.writeDirectory(target, d -> Files.write(d.resolve("a"), new byte[] {1}));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        AtomicFiles.writeDirectory(link, d -> Files.write(d.resolve("b"), new byte[] {2}));
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertTrue(Files.exists(target.resolve("b")) && !Files.exists(target.resolve("a")));
        // what a write killed between its two renames leaves: the old directory aside and a staging directory
        Path aside = tmp.resolve(".target.old.1f" + AtomicFiles.TEMP_SUFFIX);
        Files.move(target, aside);
        Path staging = Files.createDirectories(tmp.resolve(".target.2e" + AtomicFiles.TEMP_SUFFIX).resolve("x"));
        assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(target, d -> {
            assertTrue(Files.exists(target.resolve("b")), "the old directory is back before the new is written");
            throw new IOException("disk full");
        }));
        assertTrue(Files.exists(target.resolve("b")));
        assertFalse(Files.exists(aside) || Files.exists(staging.getParent()), "nothing is left beside it");
    }

    @Test
    void aMissingPathThroughLinkDotDotLandsWhereTheSystemPutsIt() throws IOException {
        // a/link -> b/sub, so a/link/../victim is b/victim (missing), not a/victim (a run that must survive)
        Path victim = Files.createDirectories(tmp.resolve("a/victim"));
        Files.writeString(victim.resolve("train.json"), "{}");
        Path sub = Files.createDirectories(tmp.resolve("b/sub"));
        Path link = Files.createSymbolicLink(tmp.resolve("a/link"), sub);
        AtomicFiles.writeDirectory(link.resolve("../victim"), d -> Files.write(d.resolve("x"), new byte[] {1}));
        assertEquals("{}", Files.readString(victim.resolve("train.json")));
        assertTrue(Files.exists(tmp.resolve("b/victim/x")));
        assertEquals(tmp.resolve("b").toRealPath().resolve("victim"), AtomicFiles.resolve(link.resolve("../victim")));
    }

    @Test
    void aFailedDirectoryWriteLeavesTheOldDirectory() throws IOException {
        Path dir = tmp.resolve("adv");
        AtomicFiles.writeDirectory(dir, d -> {
            AtomicFiles.write(d.resolve("a.npy"), new byte[] {1});
            return null;
        });
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(dir, d -> {
            AtomicFiles.write(d.resolve("b.npy"), new byte[] {2});
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("a.npy")), s.toList());
        }
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(dir), s.toList());
        }
        Path file = Files.write(tmp.resolve("file"), new byte[] {1});
        assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(file, d -> null));
    }

    @Test
    void leftoversOfKilledWritesAreRemovedAndNothingElse() throws IOException {
        Path keep = Files.writeString(tmp.resolve("train.json"), "{}");
        Path hidden = Files.writeString(tmp.resolve(".hidden"), "x");
        Path left = Files.writeString(tmp.resolve(".last.ckpt.1f2e3d" + AtomicFiles.TEMP_SUFFIX), "part");
        Path legacy = Files.writeString(tmp.resolve(".last.ckpt8812734410.tmp"), "part");
        assertEquals(Set.of(left, legacy), Set.copyOf(AtomicFiles.removeLeftovers(tmp)));
        assertFalse(Files.exists(legacy));
        assertTrue(Files.exists(keep) && Files.exists(hidden));
        assertFalse(Files.exists(left));
        assertEquals(List.of(), AtomicFiles.removeLeftovers(tmp.resolve("missing")));
    }

    @Test
    void unwritablePathsAreReportedInOneLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("regular"), "x");
        IOException under = assertThrows(IOException.class,
                () -> AtomicFiles.checkWritableFile(file.resolve("out/report.json")));
        assertTrue(under.getMessage().contains(file + " is not a directory"), under.getMessage());
        assertThrows(IOException.class, () -> AtomicFiles.checkWritableDirectory(file));
        IOException dir = assertThrows(IOException.class, () -> AtomicFiles.checkWritableFile(tmp));
        assertTrue(dir.getMessage().contains("is a directory"), dir.getMessage());
        assertThrows(IOException.class, () -> AtomicFiles.write(file.resolve("x.json"), new byte[0]));
        // a directory of a special file system exists but takes no new files: not reported as missing
        if (Files.isDirectory(Path.of("/proc/self"))) {
            IOException proc = assertThrows(IOException.class,
                    () -> AtomicFiles.checkWritableFile(Path.of("/proc/self/report.json")));
            assertTrue(proc.getMessage().contains("/proc/self: its file system does not allow new files")
                    || proc.getMessage().contains("permission denied"), proc.getMessage());
        }
        // a writable place passes, is created, and keeps no probe file
        Path ok = tmp.resolve("new/dir");
        AtomicFiles.checkWritableDirectory(ok);
        AtomicFiles.checkWritableFile(ok.resolve("a/b.json"));
        try (var s = Files.list(ok)) {
            assertEquals(List.of(ok.resolve("a")), s.toList());
        }
    }

    /** A failed file inside a directory written as a whole is named where it was going, not by its staging path. */
    @Test
    void aFailureInsideADirectoryWriteNamesTheFinalPath() {
        Path dir = tmp.resolve("save");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(dir, staging -> {
            AtomicFiles.write(staging.resolve("adversarial.npy"), out -> {
                throw new IOException("File too large");
            });
            return null;
        }));
        assertEquals(dir.toAbsolutePath() + "/adversarial.npy: File too large", e.getMessage());
    }
}
