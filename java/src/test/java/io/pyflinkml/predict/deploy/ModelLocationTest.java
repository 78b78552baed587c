package io.pyflinkml.predict.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.deploy.ModelLocation.Kind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelLocationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "/models/m, LOCAL_DIRECTORY",
        "file:///models/m, LOCAL_DIRECTORY",
        "hdfs://nn:8020/models/m, REMOTE_DIRECTORY",
        "s3://bucket/m, REMOTE_DIRECTORY",
        "/models/m.zip, ARCHIVE",
        "/models/m.ZIP, ARCHIVE",
        "s3://bucket/m.tar.gz, ARCHIVE",
        "/models/m.tgz, ARCHIVE",
        "/models/m.tar, ARCHIVE",
        "/models/m.gz, LOCAL_DIRECTORY",
    })
    void thePathSaysWhatKindOfModelItNames(String path, Kind kind) {
        assertEquals(kind, ModelLocation.of(path, false, null).kind());
    }

    @Test
    void onlyAnUnshippedLocalDirectoryIsUsedInPlace() {
        assertTrue(ModelLocation.of("/models/m", false, null).inPlace());
        assertFalse(ModelLocation.of("/models/m", true, null).inPlace());
        assertFalse(ModelLocation.of("/models/m.zip", false, null).inPlace());
        assertFalse(ModelLocation.of("hdfs:///models/m", false, null).inPlace());
    }

    @Test
    void aShippedModelGetsAStableCacheNameFromItsPath() {
        ModelLocation shipped = ModelLocation.of("/models/m", true, "12@34");
        assertEquals("pyflink-ml-predict-model-" + ModelLocation.hash("/models/m"), shipped.shipName());
        assertEquals(shipped.shipName(), ModelLocation.of("/models/m", true, null).shipName());
        assertNotEquals(shipped.shipName(), ModelLocation.of("/models/n", true, null).shipName());
        assertEquals("12@34", shipped.shippedVersion());
        assertNull(ModelLocation.of("/models/m", false, null).shipName());
        assertEquals("/models/m (shipped)", shipped.toString());
    }

    @Test
    void aFileUriIsLocalAndNamesItsLocalDirectory() {
        ModelLocation location = ModelLocation.of("file:///models/m", false, null);
        assertTrue(location.isLocal());
        assertEquals("/models/m", location.localDirectory());
        assertEquals("m", location.fileName());
        assertFalse(ModelLocation.of("hdfs:///models/m", false, null).isLocal());
    }

    @Test
    void urisAreRecognizedByTheirScheme() {
        assertNull(ModelLocation.uri("/models/m"));
        assertNull(ModelLocation.uri("c:/models/m"), "a one-letter 'scheme' is a drive, not a URI");
        assertEquals("hdfs", ModelLocation.uri("hdfs://nn/models").getScheme());
    }

    @Test
    void theHashIsSixteenHexDigits() {
        assertTrue(ModelLocation.hash("anything").matches("[0-9a-f]{16}"));
        assertEquals(ModelLocation.hash("a"), ModelLocation.hash("a"));
    }
}
