package io.pyflinkml.predict;

import static io.pyflinkml.predict.TestModels.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.GenericPythonModelOptions.ErrorHandlingStrategy;
import io.pyflinkml.predict.GenericPythonModelOptions.RetryFallbackStrategy;
import io.pyflinkml.predict.transport.PythonLaunch;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;

class ModelConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(ModelConfig config) throws Exception {
        return JSON.readTree(config.toJson());
    }

    @Test
    void theJsonCarriesWhatPythonNeeds() throws Exception {
        ModelConfig config =
                TestModels.model("pkg.Model")
                        .directory("/models/m")
                        .property("threshold", "0.5")
                        .input("text STRING")
                        .output("label STRING, score FLOAT")
                        .batchSize(32)
                        .batchTimeout(Duration.ofMillis(25))
                        .maxInFlight(64)
                        .build();
        JsonNode root = json(config);
        assertEquals("m", root.get("model_name").asText());
        assertEquals("pkg.Model", root.get("python_class").asText());
        assertEquals("/models/m", root.get("model_directory").asText());
        assertEquals("0.5", root.get("properties").get("threshold").asText());
        assertEquals("text", root.get("input_schema").get(0).get("name").asText());
        assertEquals(2, root.get("output_schema").size());
        JsonNode runtime = root.get("runtime");
        assertEquals("process", runtime.get("execution_mode").asText());
        assertEquals(32, runtime.get("batch_size").asInt());
        assertEquals(25, runtime.get("batch_timeout_ms").asInt());
        assertEquals(64, runtime.get("max_in_flight").asInt());
        assertEquals("failover", runtime.get("error_handling").get("strategy").asText());
        assertFalse(runtime.has("versions"), "an unversioned model has no versions block");
    }

    @Test
    void pythonNeverSeesTheColumnsTheProviderFills() throws Exception {
        ModelConfig config =
                TestModels.model("pkg.Model")
                        .output("`model-version` STRING, label STRING, `error-string` STRING")
                        .version("latest")
                        .build();
        assertEquals(row("label STRING"), config.outputType());
        assertEquals(0, config.versionColumn());
        assertEquals(2, config.errorColumn());
        assertEquals(3, config.declaredOutputType().getFieldCount());
        JsonNode output = json(config).get("output_schema");
        assertEquals(1, output.size());
        assertEquals("label", output.get(0).get("name").asText());
    }

    @Test
    void aVersionedModelTellsPythonItsVersionAndInterval() throws Exception {
        TestModels.Builder builder = TestModels.model("pkg.Model").version("3");
        builder.updateInterval = Duration.ofSeconds(30);
        JsonNode versions = json(builder.build()).get("runtime").get("versions");
        assertEquals("3", versions.get("version").asText());
        assertEquals(30_000, versions.get("update_interval_ms").asLong());
    }

    @Test
    void theColumnsWithoutProviderColumnsAreReportedAsMinusOne() {
        ModelConfig config = TestModels.model("pkg.Model").output("y INT").build();
        assertEquals(-1, config.errorColumn());
        assertEquals(-1, config.versionColumn());
        assertSame(config.declaredOutputType(), config.outputType());
    }

    /** Python's FlinkType.to_json for test_wire.py's types (resources/wire/python_type_json.tsv). */
    @Test
    void typeJsonIsWhatPythonWritesForTheSameType() throws Exception {
        int checked = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                ModelConfigTest.class.getResourceAsStream("/wire/python_type_json.tsv"),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                String[] parts = line.split("\t");
                RowType type = row("v " + parts[0]);
                assertEquals(JSON.readTree(parts[1]), ModelConfig.typeToJson(type.getTypeAt(0)),
                        parts[0]);
                checked++;
            }
        }
        assertEquals(30, checked);
    }

    @Test
    void typeJsonDescribesParametersAndNesting() {
        JsonNode decimal = ModelConfig.typeToJson(row("v DECIMAL(10, 3) NOT NULL").getTypeAt(0));
        assertEquals(10, decimal.get("precision").asInt());
        assertEquals(3, decimal.get("scale").asInt());
        assertFalse(decimal.get("nullable").asBoolean());
        JsonNode map = ModelConfig.typeToJson(row("v MAP<STRING, ARRAY<TIMESTAMP(9)>>").getTypeAt(0));
        assertEquals("MAP", map.get("root").asText());
        assertEquals(Integer.MAX_VALUE, map.get("key").get("length").asInt());
        assertEquals(9, map.get("value").get("element").get("precision").asInt());
    }

    @Test
    void toStringAndDescribeNameThePropertyKeysButNeverTheirValues() {
        ModelConfig config = TestModels.model("pkg.Model").property("api-key", "s3cr3t").build();
        assertTrue(config.toString().contains("api-key"), config.toString());
        assertFalse(config.toString().contains("s3cr3t"), config.toString());
        assertEquals("model 'm' (class pkg.Model)", config.describe());
    }

    @Test
    void withRuntimeChangesOnlyTheQuerysSettings() {
        ModelConfig model = TestModels.model("pkg.Model").property("a", "b").build();
        ErrorHandling retry = new ErrorHandling(ErrorHandlingStrategy.RETRY, 2, RetryFallbackStrategy.IGNORE);
        ModelConfig query = model.withRuntime(8, Duration.ofSeconds(1), 16, retry, Duration.ofSeconds(5));
        assertEquals(8, query.batchSize());
        assertEquals(Duration.ofSeconds(1), query.batchTimeout());
        assertEquals(16, query.maxInFlight());
        assertSame(retry, query.errorHandling());
        assertEquals(Duration.ofSeconds(5), query.timeout());
        assertEquals(model.modelName(), query.modelName());
        assertEquals(model.inputType(), query.inputType());
        assertEquals(model.modelDirectory(), query.modelDirectory());
    }

    @Test
    void aLocalizedConfigKeepsTheModelAndChangesWhereItRuns() throws Exception {
        ModelConfig planned = TestModels.model("pkg.Model").directory("hdfs:///models/m").build();
        PythonLaunch launch = new PythonLaunch("/env/bin/python",
                Collections.singletonMap("PYTHONPATH", "/deps"), "/work", null);
        ModelConfig local = planned.localized("/cache/m", launch);
        assertEquals("/cache/m", json(local).get("model_directory").asText());
        assertSame(launch, local.launch());
        assertEquals(planned.batchSize(), local.batchSize());
        assertEquals(json(planned).get("input_schema"), json(local).get("input_schema"));
    }

    @Test
    void subtasksShareWorkersOnlyWhenEverythingThatShapesABatchAgrees() {
        ModelConfig a = TestModels.model("pkg.Model").build();
        assertEquals(a.sharingKey(), TestModels.model("pkg.Model").build().sharingKey());
        assertNotEquals(a.sharingKey(), TestModels.model("pkg.Model").batchSize(7).build().sharingKey());
        assertNotEquals(a.sharingKey(),
                TestModels.model("pkg.Model").timeout(Duration.ofSeconds(1)).build().sharingKey());
        assertNotEquals(a.sharingKey(),
                TestModels.model("pkg.Model").property("k", "v").build().sharingKey());
    }

    /** The config travels to the TaskManagers inside the job graph. */
    @Test
    void aConfigSurvivesJavaSerialization() throws Exception {
        ModelConfig config =
                TestModels.model("pkg.Model").property("k", "v")
                        .output("y INT, `error-string` STRING").version("latest").build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        ModelConfig copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ModelConfig) in.readObject();
        }
        assertEquals(config.toJson(), copy.toJson());
        assertEquals(config.sharingKey(), copy.sharingKey());
        assertEquals(1, copy.errorColumn());
    }
}
