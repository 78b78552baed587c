package io.pyflinkml.predict.deploy;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A versioned model directory on another file system, as this JVM's Python sees it: a local
 * directory of links, one per subdirectory of the remote one, each to that subdirectory fetched
 * into the {@link ModelCache} (so each version is fetched once, by its own content). Every
 * update interval the remote directory is listed again and a new subdirectory is fetched and
 * linked (a published version is complete and does not change, as for a local directory).
 * Which subdirectories are versions stays Python's rule (runtime/versions.py), which reads
 * the links; a pinned version fetches only itself.
 */
final class VersionMirror {

    private static final Logger LOG = LoggerFactory.getLogger(VersionMirror.class);
    private static final Map<String, VersionMirror> MIRRORS = new HashMap<>(); // guarded by itself

    private final String key;
    private final ModelLocation location;
    private final String pinned; // null for 'latest'
    private final Duration interval;
    private final File root;
    private final Duration retention;
    private final File directory;
    private final Map<String, ModelCache.Lease> linked = new TreeMap<>(); // guarded by this
    private ScheduledExecutorService refresher; // guarded by this
    private int users; // guarded by this
    private boolean released; // guarded by this

    private VersionMirror(
            String key, ModelLocation location, String version, Duration interval, File root,
            Duration retention) {
        this.key = key;
        this.location = location;
        this.pinned = "latest".equals(version) ? null : version;
        this.interval = interval;
        this.root = root;
        this.retention = retention;
        this.directory =
                new File(root, ".versions-" + ModelLocation.hash(key) + "-" + UUID.randomUUID());
    }

    /** Joins (or starts) the mirror of this versioned directory; close the handle to leave. */
    static Handle acquire(
            ModelLocation location, String version, Duration interval, File root,
            Duration retention)
            throws IOException {
        String key = location.path() + "\n" + version + "\n" + root;
        while (true) {
            VersionMirror mirror;
            synchronized (MIRRORS) {
                mirror =
                        MIRRORS.computeIfAbsent(
                                key,
                                k -> new VersionMirror(k, location, version, interval, root, retention));
            }
            if (mirror.join()) {
                return new Handle(mirror);
            }
        }
    }

    /** One user's hold on a mirror. */
    static final class Handle implements AutoCloseable {
        private final VersionMirror mirror;
        private boolean closed;

        private Handle(VersionMirror mirror) {
            this.mirror = mirror;
        }

        File directory() {
            return mirror.directory;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                mirror.leave();
            }
        }
    }

    private synchronized boolean join() throws IOException {
        if (released) {
            return false;
        }
        if (users == 0) {
            try {
                if (!directory.mkdirs()) {
                    throw new IOException("Cannot create " + directory);
                }
                sync();
            } catch (IOException | RuntimeException e) {
                letGo();
                throw e;
            }
            refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "model-version-mirror " + location);
                thread.setDaemon(true);
                return thread;
            });
            refresher.scheduleWithFixedDelay(
                    this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        users++;
        return true;
    }

    private synchronized void leave() {
        if (--users == 0) {
            letGo();
        }
    }

    private synchronized void refresh() {
        if (released) {
            return;
        }
        try {
            sync();
        } catch (IOException | RuntimeException e) {
            // The versions already here stay served; the next interval tries again.
            LOG.warn("Cannot look for new versions of model {}: {}", location, e.toString());
        }
    }

    /**
     * Fetches and links the subdirectories the remote directory has now and this mirror has
     * not (a published version does not change); unlinks those it no longer has. One version
     * that cannot be fetched does not keep the others from being served; the first listing
     * fails only when it finds nothing it can serve.
     */
    private void sync() throws IOException {
        Path remote = location.flinkPath();
        FileStatus[] children = remote.getFileSystem().listStatus(remote);
        Map<String, Path> present = new TreeMap<>();
        for (FileStatus child : children == null ? new FileStatus[0] : children) {
            String name = child.getPath().getName();
            // Hidden by Hadoop's convention ('.staging', '_temporary'): not published yet.
            boolean hidden = name.startsWith(".") || name.startsWith("_");
            if (child.isDir() && !hidden && (pinned == null || name.equals(pinned))) {
                present.put(name, new Path(remote, name));
            }
        }
        IOException failed = null;
        for (Map.Entry<String, Path> version : present.entrySet()) {
            String name = version.getKey();
            if (linked.containsKey(name)) {
                continue;
            }
            ModelCache.Lease lease = null;
            try {
                lease =
                        ModelCache.acquire(
                                ModelLocation.of(version.getValue().toString(), false, null),
                                null, null, root, retention);
                link(name, lease.directory());
                linked.put(name, lease);
                LOG.info("Model {}: version directory {} is in place", location, name);
            } catch (IOException | RuntimeException e) {
                if (lease != null) {
                    lease.close();
                }
                LOG.warn("Cannot fetch version directory {} of model {}: {}", name, location,
                        e.toString());
                failed = failed != null ? failed
                        : new IOException("version directory '" + name + "': " + e.getMessage(), e);
            }
        }
        for (String name : new java.util.ArrayList<>(linked.keySet())) {
            if (!present.containsKey(name)) {
                Files.deleteIfExists(new File(directory, name).toPath());
                linked.remove(name).close();
            }
        }
        if (failed != null && linked.isEmpty()) {
            throw failed;
        }
    }

    /** Puts a link in place in one rename, so Python never sees a half-made version. */
    private void link(String name, File target) throws IOException {
        java.nio.file.Path staging = new File(directory, "." + name + "-" + UUID.randomUUID()).toPath();
        Files.createSymbolicLink(staging, target.toPath());
        Files.move(
                staging,
                new File(directory, name).toPath(),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Stops looking, lets the fetched versions go, and removes the links (not their targets). */
    private void letGo() {
        released = true;
        synchronized (MIRRORS) {
            MIRRORS.remove(key, this);
        }
        if (refresher != null) {
            refresher.shutdownNow();
        }
        File[] links = directory.listFiles();
        if (links != null) {
            for (File link : links) {
                try {
                    Files.deleteIfExists(link.toPath());
                } catch (IOException e) {
                    LOG.debug("Cannot remove {}: {}", link, e.toString());
                }
            }
        }
        directory.delete();
        linked.values().forEach(ModelCache.Lease::close);
        linked.clear();
    }
}
