package io.pyflinkml.predict.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

class ModelLocationsTest {

    @TempDir Path temp;

    private static String refusal(Runnable check) {
        return assertThrows(ValidationException.class, check::run).getMessage();
    }

    private ModelLocations.Contents check(Path path, String pythonClass, boolean versioned) {
        ModelLocation location = ModelLocations.parse("m", path.toString(), false);
        return ModelLocations.check("m", location, pythonClass, versioned);
    }

    @Test
    void aPlainPathMustBeAbsolute() {
        assertEquals(
                "Option 'model-directory-path' of model 'm' must be an absolute path or a URI such"
                        + " as 'hdfs:///models/m.zip', got 'models/m'.",
                refusal(() -> ModelLocations.parse("m", "models/m", false)));
    }

    @Test
    void aMalformedUriIsRefused() {
        assertTrue(refusal(() -> ModelLocations.parse("m", "hdfs://nn/a b", false))
                .contains("which is not a valid URI"));
    }

    @Test
    void aShippedModelMustBeReadableWhereTheQueryIsPlanned() throws Exception {
        assertTrue(refusal(() -> ModelLocations.parse("m", temp.resolve("absent").toString(), true))
                .endsWith("which does not exist."));
        Path archive = Archives.zip(temp.resolve("m.zip"), "mod.py");
        ModelLocation shipped = ModelLocations.parse("m", archive.toString(), true);
        assertEquals(Files.size(archive) + "@" + Files.getLastModifiedTime(archive).toMillis(),
                shipped.shippedVersion());
        assertNotNull(shipped.shipName());
    }

    @Test
    void aDirectoryMustBeADirectory() throws Exception {
        Path file = Files.write(temp.resolve("file"), new byte[0]);
        assertEquals("Option 'model-directory-path' of model 'm' names '" + file
                        + "', which is not a directory.",
                refusal(() -> check(file, "mod.C", false)));
        assertTrue(refusal(() -> check(temp.resolve("absent"), "mod.C", false)).endsWith("which does not exist."));
    }

    @Test
    void anArchiveMustHoldThePredictClassModule() throws Exception {
        Path without = Archives.tar(temp.resolve("without.tar.gz"), "model/other.py");
        String message = refusal(() -> check(without, "mod.C", false));
        assertTrue(message.contains("an archive without the module of the predict class 'mod.C': it"
                + " has no 'mod.py' or package 'mod/'"), message);
        Path with = Archives.tar(temp.resolve("with.tar.gz"), "model/mod.py");
        assertNotNull(check(with, "mod.C", false));
    }

    @Test
    void aBrokenArchiveOrAnArchiveNamedDirectoryIsRefused() throws Exception {
        Path broken = Files.write(temp.resolve("m.zip"), "garbage".getBytes());
        assertTrue(refusal(() -> check(broken, "mod.C", false)).contains("which is not a readable archive"));
        Path directory = Files.createDirectories(temp.resolve("d.zip"));
        assertTrue(refusal(() -> check(directory, "mod.C", false))
                .contains("a directory, though its name ends like an archive"));
    }

    @Test
    void theContentsTellWhichVersionDirectoriesExist() throws Exception {
        Path versions = Archives.directory(temp.resolve("versions"), "1/mod.py", "2/mod.py");
        Files.write(versions.resolve("3"), new byte[0]);
        ModelLocations.Contents directory = check(versions, "mod.C", true);
        assertTrue(directory.hasDirectory("2"));
        assertFalse(directory.hasDirectory("3"), "a file is not a version");
        assertFalse(directory.hasDirectory("4"));

        Path archive = Archives.zip(temp.resolve("v.zip"), "m/1/mod.py", "m/2/mod.py");
        ModelLocations.Contents archived = check(archive, "mod.C", true);
        assertTrue(archived.hasDirectory("1"));
        assertFalse(archived.hasDirectory("m"));
    }

    @Test
    void aSchemeWithoutAFileSystemIsRefusedNamingThePluginsDirectory() {
        ModelLocation location = ModelLocations.parse("m", "nosuchfs://bucket/m", false);
        String message = refusal(() -> ModelLocations.check("m", location, "mod.C", false));
        assertTrue(message.contains("but Flink has no file system for its scheme"), message);
    }
}
