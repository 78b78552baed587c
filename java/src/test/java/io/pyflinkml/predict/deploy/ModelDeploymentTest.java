package io.pyflinkml.predict.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.GenericPythonModelOptions.ExecutionMode;

import org.apache.flink.table.functions.FunctionContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;

class ModelDeploymentTest {

    @TempDir Path temp;

    /** Outside a task: no distributed cache, no job. */
    private static final FunctionContext NO_TASK = new FunctionContext(null);

    private ModelDeployment deployment(String path, boolean ship) {
        return new ModelDeployment(
                ModelLocations.parse("m", path, ship), Collections.emptyMap(),
                temp.resolve("cache").toString(), Duration.ofHours(1), null, Duration.ofMinutes(1));
    }

    private ModelDeployment.Opened open(ModelDeployment deployment) throws Exception {
        return deployment.open(NO_TASK, "m", "mod.C", "python3", ExecutionMode.PROCESS, null);
    }

    @Test
    void aLocalDirectoryIsUsedInPlaceWithThePlainInterpreter() throws Exception {
        Path model = Archives.directory(temp.resolve("model"), "mod.py");
        try (ModelDeployment.Opened opened = open(deployment(model.toString(), false))) {
            assertEquals(model.toString(), opened.directory());
            assertEquals("python3", opened.launch().executable());
            assertTrue(opened.launch().environment().isEmpty());
            assertEquals(null, opened.launch().workingDirectory());
        }
        assertFalse(temp.resolve("cache").toFile().exists(), "nothing was fetched");
    }

    @Test
    void anArchiveIsFetchedIntoTheModelCache() throws Exception {
        Path archive = Archives.tar(temp.resolve("m.tgz"), "model/mod.py");
        try (ModelDeployment.Opened opened = open(deployment(archive.toString(), false))) {
            assertTrue(opened.directory().startsWith(temp.resolve("cache").toString()), opened.directory());
            assertTrue(new File(opened.directory(), "mod.py").isFile());
        }
    }

    @Test
    void aMissingArchiveIsReportedWithModelAndPath() {
        String path = temp.resolve("gone.zip").toString();
        IOException e = assertThrows(IOException.class, () -> open(deployment(path, false)));
        assertTrue(e.getMessage().startsWith(
                "The model directory '" + path + "' of model 'm' does not exist"), e.getMessage());
    }

    @Test
    void aShippedModelMustBeInTheJobsDistributedCache() throws Exception {
        Path model = Archives.directory(temp.resolve("model"), "mod.py");
        IOException e = assertThrows(IOException.class, () -> open(deployment(model.toString(), true)));
        assertTrue(e.getMessage().startsWith("The shipped model directory '" + model
                + "' of model 'm' is not in the job's distributed cache"), e.getMessage());
    }

    @Test
    void deploymentsDifferByLocationDependenciesAndCache() {
        ModelDeployment a = deployment("/models/a", false);
        assertEquals(a.describe(), deployment("/models/a", false).describe());
        assertNotEquals(a.describe(), deployment("/models/b", false).describe());
        ModelDeployment withDependencies = new ModelDeployment(
                ModelLocations.parse("m", "/models/a", false),
                Collections.singletonMap("python.files", "x"),
                temp.resolve("cache").toString(), Duration.ofHours(1), null, Duration.ofMinutes(1));
        assertNotEquals(a.describe(), withDependencies.describe());
    }
}
