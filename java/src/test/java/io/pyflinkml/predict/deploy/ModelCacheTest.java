package io.pyflinkml.predict.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

class ModelCacheTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final ArchiveLayout.Model LAYOUT = new ArchiveLayout.Model("mod.C", false);

    @TempDir Path temp;

    private File cache() {
        return temp.resolve("cache").toFile();
    }

    private ModelCache.Lease acquire(Path model, Duration retention) throws IOException {
        ModelLocation location = ModelLocation.of(model.toString(), false, null);
        boolean archive = location.kind() == ModelLocation.Kind.ARCHIVE;
        return ModelCache.acquire(location, null, archive ? LAYOUT : null, cache(), retention);
    }

    /** The cache's entries: directories other than its work and trash directories. */
    private Set<String> entries() {
        Set<String> names = new HashSet<>();
        File[] children = cache().listFiles();
        for (File child : children == null ? new File[0] : children) {
            if (child.isDirectory()) {
                names.add(child.getName());
            }
        }
        return names;
    }

    /** Changes a model's content the way a fingerprint sees it: size and modification time. */
    private static void change(Path file, String content) throws Exception {
        Files.write(file, content.getBytes());
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        Thread.sleep(20); // the next entry's lock file must be younger, at millisecond resolution
    }

    @Test
    void aDirectoryIsFetchedOnceAndSharedByItsUsers() throws Exception {
        Path model = Archives.directory(temp.resolve("model"), "mod.py", "weights/w.bin");
        try (ModelCache.Lease first = acquire(model, HOUR);
                ModelCache.Lease second = acquire(model, HOUR)) {
            assertEquals(first.directory(), second.directory());
            assertTrue(first.directory().toPath().startsWith(cache().toPath()));
            assertEquals("weights/w.bin",
                    new String(Files.readAllBytes(first.directory().toPath().resolve("weights/w.bin"))));
        }
        assertEquals(1, entries().size(), "an unused entry stays for the retention time");
    }

    @Test
    void anUnchangedModelIsFoundAgainByALaterUser() throws Exception {
        Path model = Archives.directory(temp.resolve("model"), "mod.py");
        File directory;
        try (ModelCache.Lease lease = acquire(model, HOUR)) {
            directory = lease.directory();
        }
        Files.write(directory.toPath().resolve("marker"), new byte[0]); // not fetched again
        try (ModelCache.Lease lease = acquire(model, HOUR)) {
            assertEquals(directory, lease.directory());
            assertTrue(new File(lease.directory(), "marker").exists());
        }
    }

    @Test
    void aChangedModelIsFetchedAgainAndTheOldCopyGoesOnceUnused() throws Exception {
        Path model = Archives.directory(temp.resolve("model"), "mod.py");
        ModelCache.Lease old = acquire(model, HOUR);
        change(model.resolve("mod.py"), "version 2");
        try (ModelCache.Lease fresh = acquire(model, HOUR)) {
            assertNotEquals(old.directory(), fresh.directory());
            assertEquals("version 2", new String(Files.readAllBytes(fresh.directory().toPath().resolve("mod.py"))));
            assertTrue(old.directory().isDirectory(), "an entry in use is never deleted");
            old.close();
            assertFalse(old.directory().exists(), "an older unused entry of the same source goes");
            assertTrue(fresh.directory().isDirectory());
        }
    }

    @Test
    void anEntryUnusedForTheRetentionTimeGoes() throws Exception {
        Path first = Archives.directory(temp.resolve("first"), "mod.py");
        Path second = Archives.directory(temp.resolve("second"), "mod.py");
        File firstCopy;
        try (ModelCache.Lease lease = acquire(first, Duration.ZERO)) {
            firstCopy = lease.directory();
        }
        Thread.sleep(20);
        try (ModelCache.Lease lease = acquire(second, Duration.ZERO)) {
            assertFalse(firstCopy.exists());
            assertTrue(lease.directory().isDirectory(), "its own entry is in use");
        }
    }

    @Test
    void anArchiveIsExtractedWithItsSingleTopLevelDirectoryAsTheModel() throws Exception {
        Path archive = Archives.tar(temp.resolve("m.tar.gz"), "model/", "model/mod.py", "model/w.bin");
        try (ModelCache.Lease lease = acquire(archive, HOUR)) {
            assertTrue(new File(lease.directory(), "mod.py").isFile());
            assertTrue(new File(lease.directory(), "w.bin").isFile());
        }
    }

    @Test
    void concurrentUsersOfOneArchiveShareOneExtraction() throws Exception {
        Path archive = Archives.zip(temp.resolve("m.zip"), "mod.py", "data/a", "data/b");
        int users = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(users);
        List<ModelCache.Lease> leases = new ArrayList<>();
        try {
            List<Future<ModelCache.Lease>> futures = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                futures.add(threads.submit((Callable<ModelCache.Lease>) () -> {
                    start.await();
                    return acquire(archive, HOUR);
                }));
            }
            start.countDown();
            for (Future<ModelCache.Lease> future : futures) {
                leases.add(future.get(30, TimeUnit.SECONDS));
            }
            Set<File> directories = new HashSet<>();
            for (ModelCache.Lease lease : leases) {
                directories.add(lease.directory());
                assertTrue(new File(lease.directory(), "data/b").isFile());
            }
            assertEquals(1, directories.size());
            assertEquals(1, entries().size(), "no work directory is left: " + entries());
        } finally {
            leases.forEach(ModelCache.Lease::close);
            threads.shutdownNow();
        }
    }

    @Test
    void aBrokenArchiveFailsLeavesNothingAndAFixedOneIsFetched() throws Exception {
        Path archive = Files.write(temp.resolve("m.zip"), "not a zip".getBytes());
        IOException e = assertThrows(IOException.class, () -> acquire(archive, HOUR));
        assertTrue(e.getMessage().startsWith("it is not a readable archive"), e.getMessage());
        assertTrue(entries().isEmpty(), "left behind: " + entries());

        Archives.zip(archive, "mod.py");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        try (ModelCache.Lease lease = acquire(archive, HOUR)) {
            assertTrue(new File(lease.directory(), "mod.py").isFile());
        }
    }

    @Test
    void aShippedCopyIsExtractedFromTheDistributedCachesFile() throws Exception {
        Path archive = Archives.zip(temp.resolve("m.zip"), "mod.py");
        ModelLocation location = ModelLocations.parse("m", archive.toString(), true);
        Path copy = Files.copy(archive, temp.resolve("shipped-copy.zip"));
        Files.delete(archive); // the TaskManager cannot read the client's path
        try (ModelCache.Lease lease = ModelCache.acquire(location, copy.toFile(), LAYOUT, cache(), HOUR)) {
            assertTrue(new File(lease.directory(), "mod.py").isFile());
        }
    }

    @Test
    void closingALeaseTwiceReleasesItOnce() throws Exception {
        Path model = Archives.directory(temp.resolve("model"), "mod.py");
        ModelCache.Lease first = acquire(model, HOUR);
        ModelCache.Lease second = acquire(model, HOUR);
        first.close();
        first.close();
        change(model.resolve("mod.py"), "changed");
        try (ModelCache.Lease fresh = acquire(model, HOUR)) {
            assertTrue(second.directory().isDirectory(), "the second user still holds it");
        }
        second.close();
    }
}
