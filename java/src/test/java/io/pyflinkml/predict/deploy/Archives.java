package io.pyflinkml.predict.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Small archives for tests. Each entry is a name: one ending in '/' is a directory, any other a
 * file whose content is its own name.
 */
final class Archives {

    private Archives() {}

    static Path zip(Path file, String... entries) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                if (!entry.endsWith("/")) {
                    zip.write(entry.getBytes(StandardCharsets.UTF_8));
                }
                zip.closeEntry();
            }
        }
        return file;
    }

    /**
     * A .tar, or gzipped when the name ends in .gz or .tgz. Written here in the ustar layout
     * (commons-compress's writer needs commons-codec, which Flink's jars do not carry).
     */
    static Path tar(Path file, String... entries) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        try (OutputStream raw = Files.newOutputStream(file);
                OutputStream out = name.endsWith(".gz") || name.endsWith(".tgz")
                        ? new GZIPOutputStream(raw) : raw) {
            for (String entry : entries) {
                byte[] content = entry.endsWith("/") ? new byte[0] : entry.getBytes(StandardCharsets.UTF_8);
                out.write(tarHeader(entry, content.length, entry.endsWith("/")));
                out.write(content);
                out.write(new byte[(512 - content.length % 512) % 512]);
            }
            out.write(new byte[1024]); // two zero records end the archive
        }
        return file;
    }

    private static byte[] tarHeader(String name, int size, boolean directory) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, directory ? "0000755" : "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", size));
        put(header, 136, String.format("%011o", 1_700_000_000L));
        header[156] = (byte) (directory ? '5' : '0');
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        return header;
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    /** A directory with these files (and their parent directories); returns it. */
    static Path directory(Path directory, String... files) throws IOException {
        Files.createDirectories(directory);
        for (String file : files) {
            Path path = directory.resolve(file);
            Files.createDirectories(path.getParent());
            Files.write(path, file.getBytes(StandardCharsets.UTF_8));
        }
        return directory;
    }
}
