package io.pyflinkml.predict.deploy;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * How a model archive is laid out: its root is the model directory, unless the root holds one
 * directory and nothing else ({@code tar czf model.tar.gz model/}), which is then the model
 * directory (see {@link Model}). The same rule reads an archive's entry names at plan time and
 * an extracted archive on the TaskManager.
 */
final class ArchiveLayout {

    private ArchiveLayout() {}

    /** The entry names of an archive, relative, '/'-separated, directories ending in '/'. */
    static List<String> entryNames(String fileName, InputStream in) throws IOException {
        List<String> names = new ArrayList<>();
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".zip")) {
            try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in))) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    names.add(normalize(entry.getName()));
                }
            }
            if (names.isEmpty()) {
                throw new IOException("it is not a zip archive, or an empty one");
            }
        } else {
            InputStream raw = new BufferedInputStream(in);
            InputStream tar = lower.endsWith(".tar") ? raw : new GZIPInputStream(raw);
            try (TarArchiveInputStream entries = new TarArchiveInputStream(tar)) {
                for (TarArchiveEntry entry; (entry = entries.getNextTarEntry()) != null; ) {
                    String name = normalize(entry.getName());
                    names.add(entry.isDirectory() && !name.endsWith("/") ? name + "/" : name);
                }
            }
            if (names.isEmpty()) {
                throw new IOException("it is not a tar archive, or an empty one");
            }
        }
        names.removeIf(name -> name.isEmpty() || name.startsWith("__MACOSX/"));
        return names;
    }

    private static String normalize(String name) {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        return n.equals(".") ? "" : n;
    }

    /**
     * Where the model directory of an archive is, for one predict class: the root, unless the
     * root holds a single directory and nothing else and is not itself the model (its module
     * is not there; for a versioned model, the single directory is not a version, which would
     * hold the module), in which case that directory.
     */
    static final class Model {
        private final String pythonClass;
        private final boolean versioned;

        Model(String pythonClass, boolean versioned) {
            this.pythonClass = pythonClass;
            this.versioned = versioned;
        }

        /** The names below the model directory of an archive with these entries. */
        List<String> entries(List<String> names) {
            Map<String, Boolean> top = new TreeMap<>();
            for (String name : names) {
                int slash = name.indexOf('/');
                String first = slash < 0 ? name : name.substring(0, slash);
                top.merge(first, slash >= 0, (a, b) -> a || b);
            }
            String single = singleDirectory(top);
            if (single == null) {
                return names;
            }
            List<String> inside = below(names, single);
            return isModel(names, inside) ? names : inside;
        }

        /** The model directory of an extracted archive. */
        File root(File extracted) {
            Map<String, Boolean> top = new TreeMap<>();
            File[] children = extracted.listFiles();
            if (children != null) {
                for (File child : children) {
                    if (!child.getName().equals("__MACOSX")) {
                        top.put(child.getName(), child.isDirectory());
                    }
                }
            }
            String single = singleDirectory(top);
            if (single == null) {
                return extracted;
            }
            File inside = new File(extracted, single);
            return isModel(listing(extracted), listing(inside)) ? extracted : inside;
        }

        private boolean isModel(List<String> root, List<String> single) {
            return versioned ? hasModule(single, pythonClass) : hasModule(root, pythonClass);
        }
    }

    private static List<String> below(List<String> names, String directory) {
        List<String> inside = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith(directory + "/") && name.length() > directory.length() + 1) {
                inside.add(name.substring(directory.length() + 1));
            }
        }
        return inside;
    }

    /** A directory's children as entry names ('name/' for a directory). */
    private static List<String> listing(File directory) {
        List<String> names = new ArrayList<>();
        File[] children = directory.listFiles();
        if (children != null) {
            for (File child : children) {
                names.add(child.isDirectory() ? child.getName() + "/" : child.getName());
            }
        }
        return names;
    }

    /** The one top-level name when it is a directory and alone, else null. */
    private static String singleDirectory(Map<String, Boolean> topLevel) {
        if (topLevel.size() != 1) {
            return null;
        }
        Map.Entry<String, Boolean> only = topLevel.entrySet().iterator().next();
        return only.getValue() ? only.getKey() : null;
    }

    /** Whether these model-directory entries hold the top-level module of a Python class. */
    static boolean hasModule(List<String> entries, String pythonClass) {
        String top = pythonClass.substring(0, pythonClass.indexOf('.'));
        for (String name : entries) {
            if (name.startsWith(top + "/")
                    || name.equals(top + ".py")
                    || name.equals(top + ".pyc")
                    || (name.startsWith(top + ".") && name.endsWith(".so") && !name.contains("/"))) {
                return true;
            }
        }
        return false;
    }
}
