package io.pyflinkml.predict.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.util.FileUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

class VersionMirrorTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir Path temp;

    private Path remote() throws Exception {
        Path versions = Archives.directory(temp.resolve("versions"),
                "1/mod.py", "2/mod.py", ".staging/mod.py", "_temporary/mod.py");
        Files.write(versions.resolve("README"), new byte[0]);
        return versions;
    }

    private VersionMirror.Handle acquire(Path remote, String version, Duration interval) throws Exception {
        // As a URI, as a directory on another file system is named.
        ModelLocation location = ModelLocation.of(remote.toUri().toString(), false, null);
        return VersionMirror.acquire(location, version, interval, temp.resolve("cache").toFile(), HOUR);
    }

    private static Set<String> links(File directory) {
        String[] names = directory.list();
        return new TreeSet<>(Arrays.asList(names == null ? new String[0] : names));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void everyPublishedVersionIsLinkedToItsCachedCopy() throws Exception {
        Path remote = remote();
        try (VersionMirror.Handle mirror = acquire(remote, "latest", HOUR)) {
            assertEquals(new TreeSet<>(Arrays.asList("1", "2")), links(mirror.directory()));
            Path link = mirror.directory().toPath().resolve("2");
            assertTrue(Files.isSymbolicLink(link));
            assertTrue(Files.readSymbolicLink(link).startsWith(temp.resolve("cache")),
                    "a fetched copy, not the remote directory");
            assertEquals("2/mod.py", new String(Files.readAllBytes(link.resolve("mod.py"))));
        }
    }

    @Test
    void aPinnedVersionFetchesOnlyItself() throws Exception {
        try (VersionMirror.Handle mirror = acquire(remote(), "2", HOUR)) {
            assertEquals(new TreeSet<>(Arrays.asList("2")), links(mirror.directory()));
        }
    }

    @Test
    void aNewVersionIsLinkedAndARemovedOneUnlinkedWhileTheJobRuns() throws Exception {
        Path remote = remote();
        try (VersionMirror.Handle mirror = acquire(remote, "latest", Duration.ofMillis(50))) {
            Archives.directory(remote.resolve("3"), "mod.py");
            await(() -> links(mirror.directory()).contains("3"), "version 3 is linked");
            FileUtils.deleteDirectory(remote.resolve("1").toFile());
            await(() -> !links(mirror.directory()).contains("1"), "version 1 is unlinked");
            assertEquals(new TreeSet<>(Arrays.asList("2", "3")), links(mirror.directory()));
        }
    }

    @Test
    void usersOfOneModelShareTheMirrorAndTheLastToLeaveRemovesIt() throws Exception {
        Path remote = remote();
        VersionMirror.Handle first = acquire(remote, "latest", HOUR);
        VersionMirror.Handle second = acquire(remote, "latest", HOUR);
        File directory = first.directory();
        assertEquals(directory, second.directory());
        first.close();
        first.close();
        assertTrue(directory.isDirectory(), "the second user still reads it");
        second.close();
        assertFalse(directory.exists());
        try (VersionMirror.Handle again = acquire(remote, "latest", HOUR)) {
            assertNotEquals(directory, again.directory(), "a new mirror after the last left");
            assertEquals(new TreeSet<>(Arrays.asList("1", "2")), links(again.directory()));
        }
    }

    @Test
    void differentPinsAreDifferentMirrors() throws Exception {
        Path remote = remote();
        try (VersionMirror.Handle latest = acquire(remote, "latest", HOUR);
                VersionMirror.Handle pinned = acquire(remote, "1", HOUR)) {
            assertNotEquals(latest.directory(), pinned.directory());
            assertEquals(new TreeSet<>(Arrays.asList("1")), links(pinned.directory()));
        }
    }
}
