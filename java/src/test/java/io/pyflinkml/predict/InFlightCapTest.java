package io.pyflinkml.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.flink.table.api.TableEnvironment;

import org.junit.jupiter.api.Test;

class InFlightCapTest {

    @Test
    void twoBatchesAreInFlightAtOnce() {
        assertEquals(512, InFlightCap.recommended(256));
        assertEquals(2, InFlightCap.recommended(1));
    }

    @Test
    void adviceComesOnlyWhenTheCapKeepsBatchesSmall() {
        assertNull(InFlightCap.advice("m", 64, 32));
        assertNull(InFlightCap.advice("m", 100, 32));
        assertEquals(
                "Model 'm': ML_PREDICT keeps at most 10 rows in flight, so its batches hold at"
                        + " most 10 rows, not batch-size 32. To batch fully, run SET"
                        + " 'table.exec.async-ml-predict.max-concurrent-operations' = '64'; or"
                        + " pass MAP['max-concurrent-operations', '64'] to ML_PREDICT.",
                InFlightCap.advice("m", 10, 32));
    }

    @Test
    void theToolsGiveAGenericPythonModelTwiceItsBatchSize() {
        TableEnvironment tEnv = TableEnvironments.shared();
        tEnv.executeSql("CREATE MODEL cap_sized INPUT (x INT) OUTPUT (y INT) WITH ("
                + "'provider' = 'generic-python', 'batch-size' = ' 24 ')");
        tEnv.executeSql("CREATE MODEL cap_default INPUT (x INT) OUTPUT (y INT) WITH ("
                + "'provider' = 'generic-python')");
        assertEquals(48, InFlightCap.forTools(tEnv, "cap_sized", null));
        assertEquals(10, InFlightCap.forTools(tEnv, "cap_sized", "5"));
        assertEquals(512, InFlightCap.forTools(tEnv, "default_catalog.default_database.cap_default", null));
    }

    @Test
    void otherModelsAndUnknownNamesGetNoCap() {
        TableEnvironment tEnv = TableEnvironments.shared();
        tEnv.executeSql("CREATE MODEL cap_other INPUT (x INT) OUTPUT (y INT) WITH ("
                + "'provider' = 'openai', 'batch-size' = '4')");
        assertEquals(-1, InFlightCap.forTools(tEnv, "cap_other", null));
        assertEquals(-1, InFlightCap.forTools(tEnv, "no_such_model", null));
    }

    @Test
    void theSessionCapIsReadFromTheTableConfig() {
        TableEnvironment tEnv = TableEnvironments.shared();
        tEnv.getConfig().set(InFlightCap.SESSION_OPTION, 33);
        try {
            assertEquals(33, InFlightCap.sessionCap(tEnv));
        } finally {
            tEnv.getConfig().getConfiguration().removeConfig(InFlightCap.SESSION_OPTION);
        }
    }
}
