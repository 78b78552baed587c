package io.pyflinkml.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogModel;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.DataType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** CREATE MODEL's plan-time checks, through the factory as the planner calls it. */
class GenericPythonModelProviderFactoryTest {

    @TempDir Path temp;

    private final Map<String, String> options = new HashMap<>();
    private final Configuration session = new Configuration();
    private DataType output = DataTypes.ROW(DataTypes.FIELD("y", DataTypes.DOUBLE()));

    @BeforeEach
    void aValidModel() throws Exception {
        Path directory = Files.createDirectories(temp.resolve("model"));
        Files.write(directory.resolve("model.py"), new byte[0]);
        options.put("provider", "generic-python");
        options.put("model-directory-path", directory.toString());
        options.put("python-predict-class", "model.Model");
    }

    private GenericPythonModelProvider create() {
        ResolvedSchema input = ResolvedSchema.of(Column.physical("x", DataTypes.INT()));
        ResolvedSchema outputSchema = ResolvedSchema.physical(
                DataType.getFieldNames(output), DataType.getFieldDataTypes(output));
        CatalogModel model = CatalogModel.of(
                Schema.newBuilder().fromResolvedSchema(input).build(),
                Schema.newBuilder().fromResolvedSchema(outputSchema).build(),
                options, null);
        ModelProvider provider = new GenericPythonModelProviderFactory().createModelProvider(
                new FactoryUtil.DefaultModelProviderContext(
                        ObjectIdentifier.of("cat", "db", "m"),
                        ResolvedCatalogModel.of(model, input, outputSchema),
                        session, getClass().getClassLoader(), true));
        return (GenericPythonModelProvider) provider;
    }

    private String refusal() {
        return assertThrows(ValidationException.class, this::create).getMessage();
    }

    private JsonNode json(GenericPythonModelProvider provider) throws Exception {
        return new ObjectMapper().readTree(provider.getPythonPredictFunction().getModelConfig());
    }

    @Test
    void aValidModelGivesPythonItsClassDirectoryAndProperties() throws Exception {
        options.put("properties.threshold", "0.5");
        options.put("properties.a.b", "c");
        GenericPythonModelProvider provider = create();
        assertEquals("model.Model", provider.getPythonPredictFunction().getPythonClass());
        JsonNode json = json(provider);
        assertEquals("cat.db.m", json.get("model_name").asText());
        assertEquals(temp.resolve("model").toString(), json.get("model_directory").asText());
        assertEquals("0.5", json.get("properties").get("threshold").asText());
        assertEquals("c", json.get("properties").get("a.b").asText());
        assertEquals(2, json.get("properties").size());
    }

    @Test
    void theSessionGivesThePythonExecutableAndTheInFlightCap() throws Exception {
        session.setString("python.executable", "/opt/py/bin/python3");
        session.set(InFlightCap.SESSION_OPTION, 40);
        JsonNode runtime = json(create()).get("runtime");
        assertEquals("/opt/py/bin/python3", runtime.get("python_executable").asText());
        assertEquals(40, runtime.get("max_in_flight").asInt());
    }

    /** The factory runs at plan time in the user's session: it must leave that session alone. */
    @Test
    void planningAModelLeavesTheSessionConfigurationAlone() {
        session.setString("python.executable", "python3");
        Map<String, String> before = session.toMap();
        create();
        assertEquals(before, session.toMap());
    }

    @Test
    void anUnknownOptionIsRefusedNamingTheModel() {
        options.put("batch-sise", "8");
        String message = refusal();
        assertTrue(message.startsWith("Invalid options for model 'cat.db.m': "), message);
        assertTrue(message.contains("batch-sise"), message);
    }

    @Test
    void aMissingRequiredOptionIsRefused() {
        options.remove("python-predict-class");
        assertTrue(refusal().contains("python-predict-class"));
    }

    @Test
    void aMissingModelDirectoryIsRefusedUnlessTheCheckIsOff() {
        options.put("model-directory-path", temp.resolve("absent").toString());
        assertTrue(refusal().endsWith("which does not exist."));
        options.put("model-directory-check", "false");
        create();
    }

    @Test
    void aRelativeModelDirectoryIsRefused() {
        options.put("model-directory-path", "models/m");
        assertTrue(refusal().contains("must be an absolute path or a URI"));
    }

    @Test
    void anUnknownTaskIsRefusedListingTheTasks() {
        options.put("task", "ranking");
        assertEquals(
                "Option 'task' of model 'cat.db.m': unknown task 'ranking'; the tasks are"
                        + " 'classification', 'regression', 'clustering', 'embedding',"
                        + " 'text_generation'.",
                refusal());
    }

    @Test
    void outputColumnsAreCheckedAgainstTheOptions() {
        output = DataTypes.ROW(
                DataTypes.FIELD("y", DataTypes.DOUBLE().notNull()),
                DataTypes.FIELD("error-string", DataTypes.STRING()));
        assertTrue(refusal().contains("OUTPUT column `y` of model 'cat.db.m' is NOT NULL"));
        output = DataTypes.ROW(
                DataTypes.FIELD("y", DataTypes.DOUBLE()),
                DataTypes.FIELD("model-version", DataTypes.STRING()));
        assertTrue(refusal().contains("but the model sets no 'model-version'"));
        output = DataTypes.ROW(DataTypes.FIELD("y", DataTypes.MULTISET(DataTypes.INT())));
        assertTrue(refusal().contains("OUTPUT column 'y' has type MULTISET<INT>"));
    }

    @Test
    void aPinnedVersionMustExistInTheModelDirectory() throws Exception {
        options.put("model-version", "2");
        assertTrue(refusal().contains("has no directory '2'"));
        Files.createDirectories(temp.resolve("model/2"));
        assertEquals("2", json(create()).get("runtime").get("versions").get("version").asText());
    }

    @Test
    void theAllowedRootsOfTheSessionBindEveryModel() {
        session.setString("generic-python.allowed-model-roots", temp.resolve("elsewhere").toString());
        assertTrue(refusal().contains("which is not under any of the directories allowed"));
    }

    @Test
    void batchModeIsRefusedOnlyWhereFlinkCannotPlanIt() {
        session.setString("execution.runtime-mode", "batch");
        if (FlinkRelease.RUNNING.plansBatchMlPredict()) {
            create();
        } else {
            assertTrue(refusal().contains("cannot run ML_PREDICT in batch mode"));
        }
    }

    @Test
    void userPropertiesLoseTheirPrefixAndNothingElseIsOne() {
        Map<String, String> all = new HashMap<>();
        all.put("properties.k", "v");
        all.put("batch-size", "8");
        all.put("propertiesx", "no");
        Map<String, String> properties = GenericPythonModelProviderFactory.userProperties(all);
        assertEquals(1, properties.size());
        assertEquals("v", properties.get("k"));
        assertNull(properties.get("batch-size"));
    }
}
