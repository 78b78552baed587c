package io.pyflinkml.predict;

import org.apache.flink.FlinkVersion;
import org.apache.flink.runtime.util.EnvironmentInformation;

/**
 * The Flink release this jar runs in, and the one place that says what differs between the
 * releases the provider supports (2.1, 2.2 and 2.3, all served by this one jar): the features a
 * release lacks, refused by name, and the Flink behaviours the jar works around, each switched
 * on only for the releases that have it.
 */
public final class FlinkRelease {

    /** The release whose jars are on the classpath. */
    public static final FlinkRelease RUNNING =
            new FlinkRelease(FlinkVersion.current().toString(), fullVersion());

    private final int major;
    private final int minor;
    private final String version;

    FlinkRelease(String majorMinor, String version) {
        String[] parts = majorMinor.split("\\.");
        this.major = Integer.parseInt(parts[0]);
        this.minor = Integer.parseInt(parts[1]);
        this.version = version;
    }

    /** The release's version as Flink prints it, e.g. {@code 2.2.1}. */
    public String version() {
        return version;
    }

    public boolean before(int major, int minor) {
        return this.major < major || (this.major == major && this.minor < minor);
    }

    /**
     * Batch-mode ML_PREDICT: Flink 2.3 added its batch physical node
     * ({@code BatchPhysicalMLPredictTableFunction}); 2.1 and 2.2 plan ML_PREDICT in streaming
     * mode only and fail a batch query with "Cannot generate a valid execution plan".
     */
    public boolean plansBatchMlPredict() {
        return !before(2, 3);
    }

    /**
     * Flink behaviours the jar works around. Each names the behaviour, the class that covers
     * it and the releases it was checked in, and is on from the first release that has it.
     * None is fixed in a supported release yet; when one is, it gets its last release here.
     */
    public enum Workaround {
        /**
         * Flink's {@code ArrowTimestampColumnVector} splits micro and nanosecond values with
         * truncating division and fails for instants before 1970 that have sub-millisecond
         * digits ({@code arrow.EpochSafeTimestampVector} floors). The class is byte-identical
         * in flink-python 2.1.3, 2.2.1 and 2.3.0.
         */
        PRE_EPOCH_TIMESTAMP_READ(2, 1),
        /**
         * Flink's Arrow writer overflows TIMESTAMP(7..9) outside int64 nanoseconds silently and
         * cannot take a BINARY(n) value shorter than n, as CSV and JSON sources hand over
         * ({@code arrow.InputRowRepair}). Writers byte-identical in 2.1.3, 2.2.1 and 2.3.0.
         */
        ARROW_WRITER_INPUT_VALUES(2, 1),
        /**
         * Flink's Arrow {@code MapWriter} does not reset its key and value writers, so a reused
         * writer appends a second batch's map entries after the first's
         * ({@code arrow.ArrowBatchCodec} makes a fresh writer per batch for inputs with a MAP).
         * Byte-identical in 2.1.3, 2.2.1 and 2.3.0.
         */
        ARROW_MAP_WRITER_REUSE(2, 1),
        /**
         * The planner accepts a DESCRIPTOR column whose type only casts implicitly to the
         * model's INPUT type (INT for BIGINT) and hands the value over uncast
         * ({@code runtime.InputCoercion}); checked by the type tests on 2.1, 2.2 and 2.3.
         */
        UNCAST_DESCRIPTOR_INPUT(2, 1),
        /**
         * {@code AsyncWaitOperator}'s runtime context refuses the distributed cache ("not
         * supported in rich async functions") though the task has it
         * ({@code deploy.CachedFiles} asks the wrapped context). {@code
         * RichAsyncFunctionRuntimeContext} is byte-identical in 2.1.3, 2.2.1 and 2.3.0.
         */
        ASYNC_DISTRIBUTED_CACHE(2, 1);

        private final int firstMajor;
        private final int firstMinor;

        Workaround(int firstMajor, int firstMinor) {
            this.firstMajor = firstMajor;
            this.firstMinor = firstMinor;
        }

        /** Whether the running release has the behaviour. */
        public boolean active() {
            return activeIn(RUNNING);
        }

        boolean activeIn(FlinkRelease release) {
            return !release.before(firstMajor, firstMinor);
        }
    }

    private static String fullVersion() {
        String version = EnvironmentInformation.getVersion();
        return version == null || version.startsWith("<unknown")
                ? FlinkVersion.current().toString()
                : version;
    }

    @Override
    public String toString() {
        return "Flink " + version;
    }
}
