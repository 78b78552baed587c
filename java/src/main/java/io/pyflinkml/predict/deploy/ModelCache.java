package io.pyflinkml.predict.deploy;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.CompressionUtils;
import org.apache.flink.util.FileUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A TaskManager-local cache of fetched models: each model directory or archive is fetched (and
 * extracted) once per host, into an entry named by its source and its content (sizes and
 * modification times), so a changed model is fetched again and an unchanged one is not. All
 * subtasks and jobs using an entry share it. While a JVM uses an entry it holds a shared file
 * lock on it, so TaskManagers on one host never delete what another one uses.
 *
 * <p>An unused entry is deleted once a newer one of the same source has been acquired (the
 * model changed), or when it has not been used for the retention time. The lock file's time is
 * when the entry was last acquired, the directory's when it was last let go.
 */
public final class ModelCache {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final String LOCK_SUFFIX = ".lock";
    private static final Map<String, Entry> ENTRIES = new HashMap<>(); // guarded by itself

    private ModelCache() {}

    /** One user's hold on a cached model; closing it lets the entry go once nobody holds it. */
    public static final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        /** The local model directory. */
        public File directory() {
            return entry.directory;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                entry.release();
            }
        }
    }

    /**
     * The local copy of a model, fetching it unless the cache has this content already.
     *
     * @param shippedCopy the distributed cache's local copy of a shipped model, else null
     */
    public static Lease acquire(
            ModelLocation location, File shippedCopy, File root, Duration retention)
            throws IOException {
        String source = location.path();
        FileSystem fs;
        Path path;
        String content;
        if (shippedCopy != null) {
            path = new Path(shippedCopy.toURI());
            fs = FileSystem.getLocalFileSystem();
            content = location.shippedVersion();
        } else {
            path = location.flinkPath();
            fs = path.getFileSystem();
            content = fingerprint(fs, fs.getFileStatus(path), "");
        }
        String name =
                ModelLocation.hash(source)
                        + "-"
                        + ModelLocation.hash(content)
                        + "-"
                        + location.fileName().replaceAll("[^A-Za-z0-9._-]", "_");
        while (true) {
            Entry entry;
            synchronized (ENTRIES) {
                entry = ENTRIES.computeIfAbsent(name, n -> new Entry(n, root, retention));
            }
            Lease lease = entry.join(location, fs, path);
            if (lease != null) {
                sweep(root, retention);
                return lease;
            }
            // The entry was let go while this thread waited for it: take a fresh one.
        }
    }

    /** What identifies a directory's or archive's content: names, sizes, modification times. */
    private static String fingerprint(FileSystem fs, FileStatus status, String relative)
            throws IOException {
        if (!status.isDir()) {
            return relative + "\t" + status.getLen() + "\t" + status.getModificationTime() + "\n";
        }
        FileStatus[] children = fs.listStatus(status.getPath());
        List<String> parts = new ArrayList<>();
        if (children != null) {
            for (FileStatus child : children) {
                parts.add(fingerprint(fs, child, relative + "/" + child.getPath().getName()));
            }
        }
        parts.sort(null);
        return relative + "/\n" + String.join("", parts);
    }

    /**
     * Deletes unused entries: those older than another entry of the same source, and those
     * unused for the retention time. An entry this JVM uses, or another JVM locks, stays.
     */
    private static void sweep(File root, Duration retention) {
        File[] locks = root.listFiles((dir, n) -> n.endsWith(LOCK_SUFFIX));
        if (locks == null) {
            return;
        }
        Map<String, Long> newest = new HashMap<>();
        for (File lock : locks) {
            newest.merge(source(lock), lock.lastModified(), Math::max);
        }
        long now = System.currentTimeMillis();
        for (File lock : locks) {
            String name = lock.getName().substring(0, lock.getName().length() - LOCK_SUFFIX.length());
            long acquired = lock.lastModified();
            long used = Math.max(acquired, new File(root, name).lastModified());
            boolean stale =
                    acquired < newest.get(source(lock)) || now - used > retention.toMillis();
            synchronized (ENTRIES) {
                if (stale && !ENTRIES.containsKey(name)) {
                    deleteUnlocked(lock, new File(root, name));
                }
            }
        }
    }

    private static String source(File lock) {
        return lock.getName().substring(0, lock.getName().indexOf('-') + 1);
    }

    /** Deletes an entry unless another JVM holds its lock. */
    private static void deleteUnlocked(File lockFile, File directory) {
        try (FileChannel channel =
                FileChannel.open(lockFile.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return;
            }
            try {
                FileUtils.deleteDirectory(directory);
                Files.deleteIfExists(lockFile.toPath());
                LOG.info("Deleted unused model cache entry {}", directory);
            } finally {
                lock.release();
            }
        } catch (IOException | OverlappingFileLockException e) {
            LOG.debug("Cannot delete model cache entry {}: {}", directory, e.toString());
        }
    }

    /** One cache entry as this JVM uses it. */
    private static final class Entry {
        final String name;
        final File root;
        final Duration retention;
        final File directory;
        final File lockFile;
        int users; // guarded by this
        boolean released; // guarded by this: let go, no longer in ENTRIES
        FileChannel channel;
        FileLock sharedLock;

        Entry(String name, File root, Duration retention) {
            this.name = name;
            this.root = root;
            this.retention = retention;
            this.directory = new File(root, name);
            this.lockFile = new File(root, name + LOCK_SUFFIX);
        }

        /** A lease on this entry, opening it first; null when it was let go meanwhile. */
        synchronized Lease join(ModelLocation location, FileSystem fs, Path path)
                throws IOException {
            if (released) {
                return null;
            }
            if (users == 0) {
                try {
                    open(location, fs, path);
                } catch (IOException | RuntimeException e) {
                    letGo();
                    throw e;
                }
            }
            users++;
            return new Lease(this);
        }

        /** Takes the shared lock, fetching first under the exclusive one if need be. */
        private void open(ModelLocation location, FileSystem fs, Path path) throws IOException {
            if (!root.isDirectory() && !root.mkdirs() && !root.isDirectory()) {
                throw new IOException("Cannot create the model cache directory " + root);
            }
            channel =
                    FileChannel.open(
                            lockFile.toPath(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            for (int attempt = 0; ; attempt++) {
                try (FileLock exclusive = channel.lock()) {
                    if (!directory.isDirectory()) {
                        fetch(location, fs, path);
                    }
                }
                sharedLock = channel.lock(0, Long.MAX_VALUE, true);
                if (directory.isDirectory()) {
                    break;
                }
                // Deleted by another TaskManager between the two locks: fetch again.
                sharedLock.release();
                if (attempt == 2) {
                    throw new IOException("The model cache entry " + directory + " keeps vanishing");
                }
            }
            Files.setLastModifiedTime(lockFile.toPath(), FileTime.fromMillis(System.currentTimeMillis()));
        }

        private void fetch(ModelLocation location, FileSystem fs, Path path) throws IOException {
            long start = System.nanoTime();
            File work = new File(root, ".fetch-" + UUID.randomUUID());
            try {
                if (!work.mkdirs()) {
                    throw new IOException("Cannot create " + work);
                }
                File model;
                if (location.kind() == ModelLocation.Kind.ARCHIVE) {
                    File archive = localArchive(fs, path, work, location.fileName());
                    File extracted = new File(work, "extracted");
                    try {
                        CompressionUtils.extractFile(
                                archive.getAbsolutePath(),
                                extracted.getAbsolutePath(),
                                location.fileName());
                    } catch (IOException | RuntimeException e) {
                        throw new IOException("it is not a readable archive: " + e.getMessage(), e);
                    }
                    model = ArchiveLayout.modelRoot(extracted);
                } else {
                    model = new File(work, "copy");
                    FileUtils.copy(path, new Path(model.toURI()), false);
                }
                Files.move(model.toPath(), directory.toPath(), StandardCopyOption.ATOMIC_MOVE);
            } finally {
                FileUtils.deleteDirectoryQuietly(work);
            }
            LOG.info(
                    "Fetched model {} into {} in {} ms",
                    location, directory, (System.nanoTime() - start) / 1_000_000);
        }

        /** The archive as a local file: downloaded into the work directory unless it is one. */
        private static File localArchive(FileSystem fs, Path path, File work, String fileName)
                throws IOException {
            if (!fs.isDistributedFS() && "file".equals(path.toUri().getScheme())) {
                return new File(path.toUri());
            }
            File local = new File(work, fileName);
            try (InputStream in = fs.open(path)) {
                Files.copy(in, local.toPath());
            }
            return local;
        }

        synchronized void release() {
            if (--users > 0) {
                return;
            }
            letGo();
            sweep(root, retention);
        }

        /** Drops the lock, marks the entry as last used now, and forgets it. */
        private void letGo() {
            released = true;
            synchronized (ENTRIES) {
                ENTRIES.remove(name);
            }
            try {
                if (sharedLock != null) {
                    sharedLock.release();
                }
                if (channel != null) {
                    channel.close();
                }
                if (directory.isDirectory()) {
                    Files.setLastModifiedTime(
                            directory.toPath(), FileTime.fromMillis(System.currentTimeMillis()));
                }
            } catch (IOException e) {
                LOG.warn("Cannot release model cache entry {}: {}", directory, e.toString());
            }
        }
    }
}
