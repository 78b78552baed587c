package io.pyflinkml.predict;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/** One streaming TableEnvironment for the tests that look models up (it takes seconds to start). */
public final class TableEnvironments {

    private static TableEnvironment shared;

    private TableEnvironments() {}

    /** The shared environment; each test names its models uniquely, so none clash. */
    public static synchronized TableEnvironment shared() {
        if (shared == null) {
            shared = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        }
        return shared;
    }
}
