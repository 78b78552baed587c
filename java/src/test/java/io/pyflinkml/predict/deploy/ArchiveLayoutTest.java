package io.pyflinkml.predict.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

class ArchiveLayoutTest {

    @TempDir Path temp;

    private List<String> names(Path archive) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return ArchiveLayout.entryNames(archive.getFileName().toString(), in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"m.zip", "m.tar", "m.tar.gz", "m.tgz", "M.TAR.GZ"})
    void entryNamesAreRelativeSlashSeparatedWithDirectoriesEndingInASlash(String name) throws IOException {
        Path archive = temp.resolve(name);
        String[] entries = {"./model/", "./model/mod.py", "/model/data/w.bin", "__MACOSX/._mod.py"};
        if (name.toLowerCase().endsWith(".zip")) {
            Archives.zip(archive, entries);
        } else {
            Archives.tar(archive, entries);
        }
        assertEquals(Arrays.asList("model/", "model/mod.py", "model/data/w.bin"), names(archive));
    }

    @Test
    void whatIsNotAnArchiveIsRefused() throws IOException {
        Path garbage = Files.write(temp.resolve("m.zip"), "not a zip".getBytes());
        assertTrue(assertThrows(IOException.class, () -> names(garbage)).getMessage()
                .contains("not a zip archive, or an empty one"));
        Path tar = Files.write(temp.resolve("m.tar.gz"), "not gzip".getBytes());
        assertThrows(IOException.class, () -> names(tar));
    }

    @Test
    void aSingleTopLevelDirectoryIsTheModelUnlessTheRootIsTheModel() {
        ArchiveLayout.Model model = new ArchiveLayout.Model("mod.Class", false);
        assertEquals(Arrays.asList("mod.py", "w/"),
                model.entries(Arrays.asList("model/", "model/mod.py", "model/w/")));
        // The single directory is the module's package: the root is the model.
        List<String> packaged = Arrays.asList("mod/", "mod/__init__.py");
        assertEquals(packaged, model.entries(packaged));
        // Several top-level names: the root is the model.
        List<String> flat = Arrays.asList("mod.py", "README");
        assertEquals(flat, model.entries(flat));
    }

    @Test
    void aVersionedArchiveKeepsItsVersionsAtTheRoot() {
        ArchiveLayout.Model versioned = new ArchiveLayout.Model("mod.Class", true);
        // The only directory is a version (it holds the module): the root holds the versions.
        List<String> oneVersion = Arrays.asList("1/", "1/mod.py");
        assertEquals(oneVersion, versioned.entries(oneVersion));
        // A wrapping directory around the versions is unwrapped.
        assertEquals(Arrays.asList("1/", "1/mod.py", "2/mod.py"),
                versioned.entries(Arrays.asList("m/", "m/1/", "m/1/mod.py", "m/2/mod.py")));
    }

    @Test
    void anExtractedArchiveFollowsTheSameRule() throws IOException {
        ArchiveLayout.Model model = new ArchiveLayout.Model("mod.Class", false);
        Path wrapped = Archives.directory(temp.resolve("wrapped"), "model/mod.py");
        Files.createDirectories(wrapped.resolve("__MACOSX"));
        assertEquals(wrapped.resolve("model").toFile(), model.root(wrapped.toFile()));
        Path flat = Archives.directory(temp.resolve("flat"), "mod.py", "weights/w.bin");
        assertEquals(flat.toFile(), model.root(flat.toFile()));
        Path packaged = Archives.directory(temp.resolve("packaged"), "mod/__init__.py");
        assertEquals(packaged.toFile(), model.root(packaged.toFile()));
    }

    @Test
    void aModuleIsAFileAPackageOrAnExtension() {
        assertTrue(ArchiveLayout.hasModule(Collections.singletonList("mod.py"), "mod.C"));
        assertTrue(ArchiveLayout.hasModule(Collections.singletonList("mod.pyc"), "mod.sub.C"));
        assertTrue(ArchiveLayout.hasModule(Collections.singletonList("mod/x.py"), "mod.sub.C"));
        assertTrue(ArchiveLayout.hasModule(
                Collections.singletonList("mod.cpython-311-x86_64-linux-gnu.so"), "mod.C"));
        assertFalse(ArchiveLayout.hasModule(Arrays.asList("model.py", "lib/mod.py", "lib/mod.so"), "mod.C"));
    }

    @Test
    void entryNamesOfAnEmptyStreamAreRefused() {
        assertThrows(IOException.class,
                () -> ArchiveLayout.entryNames("m.tar", new ByteArrayInputStream(new byte[1024])));
    }
}
