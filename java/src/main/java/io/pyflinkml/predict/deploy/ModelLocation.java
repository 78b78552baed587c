package io.pyflinkml.predict.deploy;

import org.apache.flink.core.fs.Path;

import java.io.File;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Where a model's directory comes from, as {@code model-directory-path} names it: a local
 * directory (used in place, as it is), a directory on another Flink file system, or a
 * {@code .zip}/{@code .tar.gz} archive on any of them. The last two are fetched into each
 * TaskManager's {@link ModelCache}. With {@code model-directory-ship} the client's copy travels
 * with the job through Flink's distributed cache.
 */
public final class ModelLocation implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String[] ARCHIVE_SUFFIXES = {".zip", ".tar.gz", ".tgz", ".tar"};

    /** What the path names. */
    public enum Kind {
        LOCAL_DIRECTORY,
        REMOTE_DIRECTORY,
        ARCHIVE
    }

    private final String path;
    private final Kind kind;
    private final String shipName;
    private final String shippedVersion;

    private ModelLocation(String path, Kind kind, String shipName, String shippedVersion) {
        this.path = path;
        this.kind = kind;
        this.shipName = shipName;
        this.shippedVersion = shippedVersion;
    }

    /**
     * @param path an absolute local path or a URI; checked to be one by the caller
     * @param shippedVersion with shipping: what identifies the shipped copy's content (its size
     *     and modification time when planned), else null
     */
    static ModelLocation of(String path, boolean ship, String shippedVersion) {
        URI uri = uri(path);
        String normalized = uri == null ? new File(path).getAbsolutePath() : path;
        Kind kind =
                isArchive(path)
                        ? Kind.ARCHIVE
                        : isLocal(uri) ? Kind.LOCAL_DIRECTORY : Kind.REMOTE_DIRECTORY;
        return new ModelLocation(
                normalized, kind, ship ? "pyflink-ml-predict-model-" + hash(normalized) : null,
                shippedVersion);
    }

    /** The URI of a path with a scheme ('hdfs://...', 'file:///...'), or null for a plain path. */
    static URI uri(String path) {
        if (!path.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            return null;
        }
        return URI.create(path);
    }

    static boolean isArchive(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        for (String suffix : ARCHIVE_SUFFIXES) {
            if (lower.endsWith(suffix) && lower.length() > suffix.length()) {
                return true;
            }
        }
        return false;
    }

    public Kind kind() {
        return kind;
    }

    /** The path as given (made absolute where it had no scheme). */
    public String path() {
        return path;
    }

    /** As a Flink path: a plain path is one on the local file system. */
    Path flinkPath() {
        return uri(path) == null ? new Path(new File(path).toURI()) : new Path(path);
    }

    /** The archive's or directory's file name, for cache entries and extraction. */
    String fileName() {
        String name = flinkPath().getName();
        return name.isEmpty() ? "model" : name;
    }

    /** The distributed-cache name of the shipped copy, or null when not shipped. */
    public String shipName() {
        return shipName;
    }

    String shippedVersion() {
        return shippedVersion;
    }

    /** Whether the TaskManager uses the path as it is, with nothing fetched or extracted. */
    public boolean inPlace() {
        return kind == Kind.LOCAL_DIRECTORY && shipName == null;
    }

    /** Whether the path is on the local file system (a plain path or a 'file:' URI). */
    public boolean isLocal() {
        return isLocal(uri(path));
    }

    private static boolean isLocal(URI uri) {
        return uri == null || "file".equals(uri.getScheme());
    }

    /** The local directory of an in-place model (or the local file of a local archive). */
    public String localDirectory() {
        URI uri = uri(path);
        return uri == null ? path : new File(uri).getAbsolutePath();
    }

    static String hash(String text) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return path + (shipName == null ? "" : " (shipped)");
    }
}
