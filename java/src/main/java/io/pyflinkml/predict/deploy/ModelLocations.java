package io.pyflinkml.predict.deploy;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;
import org.apache.flink.table.api.ValidationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/**
 * The plan-time checks of {@code model-directory-path}, where the query is planned: each error
 * names the model, the option and the path.
 */
public final class ModelLocations {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLocations.class);
    private static final String OPTION = "model-directory-path";

    private ModelLocations() {}

    /** What the client could see of a model directory or archive. */
    public static final class Contents {
        private final FileSystem fileSystem;
        private final Path directory;
        private final List<String> archiveEntries; // below the model root; null for a directory

        private Contents(FileSystem fileSystem, Path directory, List<String> archiveEntries) {
            this.fileSystem = fileSystem;
            this.directory = directory;
            this.archiveEntries = archiveEntries;
        }

        /** Whether the model holds this version's subdirectory. */
        public boolean hasDirectory(String name) {
            if (archiveEntries != null) {
                return archiveEntries.stream().anyMatch(e -> e.startsWith(name + "/"));
            }
            try {
                FileStatus status = fileSystem.getFileStatus(new Path(directory, name));
                return status.isDir();
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** Parses the path: a plain path must be absolute; a shipped one must be readable here. */
    public static ModelLocation parse(String modelName, String path, boolean ship) {
        URI uri;
        try {
            uri = ModelLocation.uri(path);
        } catch (IllegalArgumentException e) {
            throw invalid(modelName, path, "which is not a valid URI: " + e.getMessage());
        }
        if (uri == null && !new File(path).isAbsolute()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' of model '%s' must be an absolute path or a URI such as"
                                    + " 'hdfs:///models/m.zip', got '%s'.",
                            OPTION, modelName, path));
        }
        if (!ship) {
            return ModelLocation.of(path, false, null);
        }
        ModelLocation unshipped = ModelLocation.of(path, false, null);
        FileStatus status = status(modelName, unshipped, true);
        if (status == null) {
            throw invalid(modelName, path, "which cannot be read here to ship it with the job");
        }
        String version =
                status.isDir() ? null : status.getLen() + "@" + status.getModificationTime();
        return ModelLocation.of(path, true, version);
    }

    /**
     * Checks that the model is there: a directory is a directory, an archive a readable one
     * whose root (or single top-level directory) holds the predict class's module. Returns what
     * was seen, or null when the client cannot reach the file system (the TaskManagers may).
     */
    public static Contents check(String modelName, ModelLocation location, String pythonClass,
            boolean versioned) {
        FileStatus status = status(modelName, location, false);
        if (status == null) {
            return null;
        }
        Path path = location.flinkPath();
        FileSystem fs = fileSystem(modelName, location);
        if (location.kind() != ModelLocation.Kind.ARCHIVE) {
            if (!status.isDir()) {
                throw invalid(modelName, location.path(), "which is not a directory");
            }
            return new Contents(fs, path, null);
        }
        if (status.isDir()) {
            throw invalid(
                    modelName, location.path(),
                    "a directory, though its name ends like an archive ('.zip', '.tar.gz',"
                            + " '.tgz', '.tar')");
        }
        List<String> entries;
        try (InputStream in = fs.open(path)) {
            entries =
                    new ArchiveLayout.Model(pythonClass, versioned)
                            .entries(ArchiveLayout.entryNames(location.fileName(), in));
        } catch (IOException e) {
            throw invalid(
                    modelName, location.path(),
                    "which is not a readable archive: " + e.getMessage());
        }
        if (!versioned && !ArchiveLayout.hasModule(entries, pythonClass)) {
            String top = pythonClass.substring(0, pythonClass.indexOf('.'));
            throw invalid(
                    modelName, location.path(),
                    String.format(
                            "an archive without the module of the predict class '%s': it has"
                                    + " no '%s.py' or package '%s/', at its root or in its single"
                                    + " top-level directory",
                            pythonClass, top, top));
        }
        return new Contents(fs, path, entries);
    }

    /** The path's status; null when the file system cannot be reached from here. */
    private static FileStatus status(String modelName, ModelLocation location, boolean required) {
        FileSystem fs = fileSystem(modelName, location);
        try {
            if (!fs.exists(location.flinkPath())) {
                throw invalid(modelName, location.path(), "which does not exist");
            }
            return fs.getFileStatus(location.flinkPath());
        } catch (IOException e) {
            if (required) {
                throw invalid(modelName, location.path(), "which cannot be read: " + e);
            }
            LOG.warn(
                    "Cannot check '{}' of model '{}' where the query is planned ({}); the"
                            + " TaskManagers will fetch it when the job starts.",
                    location.path(), modelName, e.toString());
            return null;
        }
    }

    private static FileSystem fileSystem(String modelName, ModelLocation location) {
        try {
            return location.flinkPath().getFileSystem();
        } catch (UnsupportedFileSystemSchemeException e) {
            throw noFileSystem(modelName, location.path(), e);
        } catch (IOException e) {
            throw invalid(modelName, location.path(), "whose file system cannot be opened: " + e);
        }
    }

    /** A URI whose scheme Flink has no file system for, here or on a TaskManager. */
    static ValidationException noFileSystem(String modelName, String path, Exception cause) {
        return new ValidationException(
                String.format(
                        "Option '%s' of model '%s' names '%s', but Flink has no file system for"
                                + " its scheme (a file system plugin, such as flink-s3-fs-hadoop,"
                                + " belongs in the plugins/ directory of Flink): %s",
                        OPTION, modelName, path, cause.getMessage()),
                cause);
    }

    private static ValidationException invalid(String modelName, String path, String what) {
        return new ValidationException(
                String.format("Option '%s' of model '%s' names '%s', %s.", OPTION, modelName,
                        path, what));
    }
}
