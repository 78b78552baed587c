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
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TaskManager-local cache of fetched models: each model directory or archive is fetched (and
 * extracted) once per host, into an entry named by its source and its content (sizes and
 * modification times), so a changed model is fetched again and an unchanged one is not. All
 * subtasks and jobs using an entry share it.
 *
 * <p>Entries are guarded by file locks on the entry's lock file, so several TaskManagers on one
 * host (and jobs whose jars load this class more than once in one JVM) share the cache safely:
 * each user holds a shared lock on a byte of its own (Java refuses overlapping locks within
 * one JVM, even shared ones); a fetch takes byte 0 exclusively; a deletion takes the whole file
 * exclusively, so it happens only when nobody uses the entry. An entry lands, and goes, by one
 * rename, so it is never seen half made or half deleted. Lock files stay.
 *
 * <p>An unused entry is deleted once a newer one of the same source has been acquired (the
 * model changed), or when it has not been used for the retention time. The lock file's time is
 * when the entry was last acquired, the directory's when it was last let go.
 */
public final class ModelCache {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final String LOCK_SUFFIX = ".lock";
    private static final long RETRY_MILLIS = 50;
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
     * @param layout where an archive's model directory is (see {@link ArchiveLayout}); null for
     *     a directory
     */
    public static Lease acquire(
            ModelLocation location,
            File shippedCopy,
            ArchiveLayout.Model layout,
            File root,
            Duration retention)
            throws IOException {
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
                ModelLocation.hash(location.path())
                        + "-"
                        + ModelLocation.hash(content)
                        + "-"
                        + location.fileName().replaceAll("[^A-Za-z0-9._-]", "_");
        String key = root.getAbsolutePath() + File.separator + name;
        while (true) {
            Entry entry;
            synchronized (ENTRIES) {
                entry = ENTRIES.computeIfAbsent(key, k -> new Entry(k, name, root, retention));
            }
            Lease lease = entry.join(location, fs, path, layout);
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
     * unused for the retention time. An entry anybody uses stays.
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
            File directory = new File(root, name);
            if (!directory.isDirectory()) {
                continue;
            }
            long acquired = lock.lastModified();
            long used = Math.max(acquired, directory.lastModified());
            boolean stale =
                    acquired < newest.get(source(lock)) || now - used > retention.toMillis();
            boolean mine;
            synchronized (ENTRIES) {
                mine = ENTRIES.containsKey(directory.getAbsolutePath());
            }
            if (stale && !mine) {
                deleteUnused(lock, directory);
            }
        }
    }

    private static String source(File lock) {
        return lock.getName().substring(0, lock.getName().indexOf('-') + 1);
    }

    /** Moves an entry nobody uses out of the way, then deletes it. */
    private static void deleteUnused(File lockFile, File directory) {
        File trash = new File(directory.getParentFile(), ".trash-" + UUID.randomUUID());
        try (FileChannel channel = open(lockFile)) {
            FileLock whole = channel.tryLock();
            if (whole == null) {
                return; // another TaskManager uses it
            }
            try {
                Files.move(directory.toPath(), trash.toPath(), StandardCopyOption.ATOMIC_MOVE);
            } finally {
                whole.release();
            }
        } catch (IOException | OverlappingFileLockException e) {
            return; // in use in this JVM, or already gone
        }
        FileUtils.deleteDirectoryQuietly(trash);
        LOG.info("Deleted unused model cache entry {}", directory);
    }

    private static FileChannel open(File lockFile) throws IOException {
        return FileChannel.open(
                lockFile.toPath(),
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** One cache entry as this class loader uses it. */
    private static final class Entry {
        final String key;
        final File root;
        final Duration retention;
        final File directory;
        final File lockFile;
        int users; // guarded by this
        boolean released; // guarded by this: let go, no longer in ENTRIES
        FileChannel channel;
        FileLock userLock; // shared, on a byte of this Entry's own

        Entry(String key, String name, File root, Duration retention) {
            this.key = key;
            this.root = root;
            this.retention = retention;
            this.directory = new File(root, name);
            this.lockFile = new File(root, name + LOCK_SUFFIX);
        }

        /** A lease on this entry, opening it first; null when it was let go meanwhile. */
        synchronized Lease join(
                ModelLocation location, FileSystem fs, Path path, ArchiveLayout.Model layout)
                throws IOException {
            if (released) {
                return null;
            }
            if (users == 0) {
                try {
                    open(location, fs, path, layout);
                } catch (IOException | RuntimeException e) {
                    letGo();
                    throw e;
                }
            }
            users++;
            return new Lease(this);
        }

        /** Takes this user's lock; fetches the entry first, under the fetch lock, if missing. */
        private void open(ModelLocation location, FileSystem fs, Path path, ArchiveLayout.Model layout)
                throws IOException {
            if (!root.isDirectory() && !root.mkdirs() && !root.isDirectory()) {
                throw new IOException("Cannot create the model cache directory " + root);
            }
            channel = ModelCache.open(lockFile);
            long region = 1 + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE / 2);
            userLock = lockRetrying(region, true);
            while (!directory.isDirectory()) {
                FileLock fetching = lockRetrying(0, false);
                try {
                    if (!directory.isDirectory()) {
                        fetch(location, fs, path, layout);
                    }
                } finally {
                    fetching.release();
                }
            }
            Files.setLastModifiedTime(lockFile.toPath(), FileTime.fromMillis(System.currentTimeMillis()));
        }

        /**
         * A lock on one byte; waits while another TaskManager holds it, and retries while this
         * JVM does (another class loader of this class, fetching the same entry).
         */
        private FileLock lockRetrying(long position, boolean shared) throws IOException {
            while (true) {
                try {
                    return channel.lock(position, 1, shared);
                } catch (OverlappingFileLockException e) {
                    try {
                        Thread.sleep(RETRY_MILLIS);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new IOException("Interrupted waiting for " + directory, interrupted);
                    }
                }
            }
        }

        private void fetch(
                ModelLocation location, FileSystem fs, Path path, ArchiveLayout.Model layout)
                throws IOException {
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
                    model = layout.root(extracted);
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

        void release() {
            synchronized (this) {
                if (--users > 0) {
                    return;
                }
                letGo();
            }
            sweep(root, retention);
        }

        /** Drops the lock, marks the entry as last used now, and forgets it. */
        private void letGo() {
            released = true;
            try {
                if (directory.isDirectory()) {
                    Files.setLastModifiedTime(
                            directory.toPath(), FileTime.fromMillis(System.currentTimeMillis()));
                }
                if (userLock != null) {
                    userLock.release();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                LOG.warn("Cannot release model cache entry {}: {}", directory, e.toString());
            }
            synchronized (ENTRIES) {
                ENTRIES.remove(key, this);
            }
        }
    }
}
