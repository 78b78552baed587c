package io.pyflinkml.predict;

import static io.pyflinkml.predict.TestModels.row;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.GenericPythonModelOptions.ErrorHandlingStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;
import io.pyflinkml.predict.GenericPythonModelOptions.RetryFallbackStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.WorkerScope;
import io.pyflinkml.predict.deploy.ModelLocation;
import io.pyflinkml.predict.deploy.ModelLocations;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

class ModelOptionChecksTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir Path temp;

    private static String message(Runnable check) {
        return assertThrows(ValidationException.class, check::run).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.Model", "_a.b_2.C", "pkg.sub.Class"})
    void aDottedPythonPathIsAClassName(String name) {
        assertEquals(name, ModelOptionChecks.className("m", name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Model", "pkg.", ".Model", "pkg..Model", "1pkg.Model", "pkg.Mo-del", "pkg.Model "})
    void anythingElseIsRefusedNamingTheOption(String name) {
        assertEquals(
                "Option 'python-predict-class' of model 'm' must be 'module.ClassName' (a dotted"
                        + " Python path), got '" + name + "'.",
                message(() -> ModelOptionChecks.className("m", name)));
    }

    @Test
    void batchSizeAndRetriesHaveLowerBounds() {
        assertEquals(1, ModelOptionChecks.batchSize("m", 1));
        assertEquals("Option 'batch-size' of model 'm' must be at least 1, got 0.",
                message(() -> ModelOptionChecks.batchSize("m", 0)));
        assertEquals(0, ModelOptionChecks.errorHandling(
                "m", ErrorHandlingStrategy.RETRY, 0, RetryFallbackStrategy.IGNORE).retryNum());
        assertEquals("Option 'retry-num' of model 'm' must be at least 0, got -1.",
                message(() -> ModelOptionChecks.errorHandling(
                        "m", ErrorHandlingStrategy.RETRY, -1, RetryFallbackStrategy.IGNORE)));
    }

    @Test
    void sharedWorkersNeedProcessModeAndAtLeastOneWorker() {
        assertEquals(2, ModelOptionChecks.sharedWorkers(
                "m", ExecutionMode.PROCESS, WorkerScope.TASKMANAGER, 2));
        assertTrue(message(() -> ModelOptionChecks.sharedWorkers(
                        "m", ExecutionMode.THREAD, WorkerScope.TASKMANAGER, 1))
                .contains("needs 'execution-mode' = 'process'"));
        assertEquals("Option 'workers-per-taskmanager' of model 'm' must be at least 1, got 0.",
                message(() -> ModelOptionChecks.sharedWorkers(
                        "m", ExecutionMode.PROCESS, WorkerScope.SUBTASK, 0)));
        // Thread mode with the default scope is fine.
        assertEquals(1, ModelOptionChecks.sharedWorkers("m", ExecutionMode.THREAD, WorkerScope.SUBTASK, 1));
    }

    @Test
    void aModelVersionIsLatestOrANumber() {
        assertEquals("latest", ModelOptionChecks.modelVersion("m", " latest ", MINUTE, true));
        assertEquals("12", ModelOptionChecks.modelVersion("m", "12", MINUTE, false));
        assertNull(ModelOptionChecks.modelVersion("m", null, MINUTE, false));
        for (String bad : new String[] {"v2", "1.0", "-1", "LATEST", ""}) {
            assertEquals(
                    "Option 'model-version' of model 'm' must be 'latest' or a version number,"
                            + " got '" + bad + "'.",
                    message(() -> ModelOptionChecks.modelVersion("m", bad, MINUTE, false)),
                    bad);
        }
    }

    /** The one rule of what a version is, which runtime/versions.py applies to directories. */
    @Test
    void versionNumbersAreTheSharedRulesVersions() throws Exception {
        JsonNode names = SharedRules.get().get("version_names");
        for (JsonNode version : names.get("versions")) {
            assertEquals(version.asText(),
                    ModelOptionChecks.modelVersion("m", version.asText(), MINUTE, false));
        }
        for (JsonNode other : names.get("not_versions")) {
            assertThrows(ValidationException.class,
                    () -> ModelOptionChecks.modelVersion("m", other.asText(), MINUTE, false),
                    other.asText());
        }
    }

    @Test
    void anUpdateIntervalNeedsLatestAndMustBePositive() {
        assertTrue(message(() -> ModelOptionChecks.modelVersion("m", null, MINUTE, true))
                .contains("sets 'model-update-interval' but no 'model-version'"));
        assertTrue(message(() -> ModelOptionChecks.modelVersion("m", "3", MINUTE, true))
                .contains("pins 'model-version' = '3', so 'model-update-interval' has nothing"));
        assertEquals("Option 'model-update-interval' of model 'm' must be positive, got PT0S.",
                message(() -> ModelOptionChecks.modelVersion("m", "latest", Duration.ZERO, true)));
    }

    @Test
    void theErrorColumnMustBeANullableStringBesideNullableResults() {
        assertDoesNotThrow(() -> ModelOptionChecks.errorColumn("m", row("y INT, `error-string` STRING")));
        assertDoesNotThrow(() -> ModelOptionChecks.errorColumn("m", row("y INT NOT NULL")));
        assertTrue(message(() -> ModelOptionChecks.errorColumn("m", row("y INT, `error-string` INT")))
                .contains("must be a nullable STRING, got INT"));
        assertTrue(message(() -> ModelOptionChecks.errorColumn(
                        "m", row("y INT, `error-string` STRING NOT NULL")))
                .contains("must be a nullable STRING"));
        assertTrue(message(() -> ModelOptionChecks.errorColumn(
                        "m", row("y INT NOT NULL, `error-string` STRING")))
                .startsWith("OUTPUT column `y` of model 'm' is NOT NULL"));
        assertEquals(
                "Model 'm' declares only the `error-string` OUTPUT column; it needs at least one"
                        + " column for the model's results.",
                message(() -> ModelOptionChecks.errorColumn("m", row("`error-string` STRING"))));
    }

    @Test
    void theVersionColumnNeedsAVersionedModelAndAResultColumn() {
        assertDoesNotThrow(() -> ModelOptionChecks.versionColumn(
                "m", row("y INT, `model-version` STRING"), "latest"));
        assertTrue(message(() -> ModelOptionChecks.versionColumn(
                        "m", row("y INT, `model-version` STRING"), null))
                .contains("but the model sets no 'model-version'"));
        assertTrue(message(() -> ModelOptionChecks.versionColumn(
                        "m", row("y INT, `model-version` BIGINT"), "1"))
                .contains("must be a nullable STRING, got BIGINT"));
        assertEquals(
                "Model 'm' declares no OUTPUT column for the model's results, only `model-version`"
                        + " and `error-string`.",
                message(() -> ModelOptionChecks.versionColumn(
                        "m", row("`model-version` STRING, `error-string` STRING"), "1")));
    }

    @Test
    void aPinnedVersionMustBeThereWhenTheDirectoryWasChecked() throws Exception {
        Files.createDirectories(temp.resolve("model/3"));
        String path = temp.resolve("model").toString();
        ModelLocation location = ModelOptionChecks.location("m", path, false, null);
        ModelLocations.Contents contents = ModelLocations.check("m", location, "mod.C", true);
        assertDoesNotThrow(() -> ModelOptionChecks.pinnedVersionPresent("m", location, contents, "3"));
        assertDoesNotThrow(() -> ModelOptionChecks.pinnedVersionPresent("m", location, contents, "latest"));
        assertDoesNotThrow(() -> ModelOptionChecks.pinnedVersionPresent("m", location, null, "4"));
        assertEquals(
                "Model 'm' pins 'model-version' = '4', but '" + path + "' has no directory '4'.",
                message(() -> ModelOptionChecks.pinnedVersionPresent("m", location, contents, "4")));
    }

    @Test
    void aModelDirectoryUnderAnAllowedRootIsAccepted() throws Exception {
        Path allowed = Files.createDirectories(temp.resolve("allowed/m"));
        List<String> roots = Arrays.asList(" ", temp.resolve("other").toString(), temp.resolve("allowed").toString());
        assertEquals(allowed.toString(),
                ModelOptionChecks.location("m", allowed.toString(), false, roots).path());
        // No roots set: anything goes.
        assertDoesNotThrow(() -> ModelOptionChecks.location("m", "/anywhere", false, null));
    }

    @Test
    void neitherDotDotNorASymbolicLinkEscapesAnAllowedRoot() throws Exception {
        Files.createDirectories(temp.resolve("allowed"));
        Path secret = Files.createDirectories(temp.resolve("secret"));
        Path link = Files.createSymbolicLink(temp.resolve("allowed/link"), secret);
        List<String> roots = Collections.singletonList(temp.resolve("allowed").toString());
        for (String path : new String[] {
                temp.resolve("allowed/../secret").toString(), link.toString(),
                temp.resolve("allowedness").toString()}) {
            String message = message(() -> ModelOptionChecks.location("m", path, false, roots));
            assertTrue(message.contains("which is not under any of the directories allowed by"
                    + " 'generic-python.allowed-model-roots'"), message);
        }
    }

    @Test
    void aUriMustLieUnderARootOfTheSameFileSystem() {
        List<String> roots = Collections.singletonList("hdfs://nn:8020/models");
        assertDoesNotThrow(() -> ModelOptionChecks.location("m", "hdfs://nn:8020/models/m.zip", false, roots));
        for (String path : new String[] {
                "hdfs://nn:8020/models/../secret", "hdfs://other:8020/models/m",
                "s3://nn:8020/models/m", "hdfs://nn:8020/modelsx/m",
                new File("/models/m").getAbsolutePath()}) {
            assertThrows(ValidationException.class,
                    () -> ModelOptionChecks.location("m", path, false, roots), path);
        }
    }
}
