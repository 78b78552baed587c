package io.pyflinkml.predict;

import io.pyflinkml.predict.arrow.ArrowBatchCodec;

import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Base64;

/**
 * The Java side of the type checks in tests/integration/test_wire.py: for each SQL type (one a
 * line in the file given), the provider's type JSON and the Arrow schemas it sends for a column
 * of that type, so Python's own mapping (used without Flink) is checked against them.
 */
public class TypeFixtures {

    public static void main(String[] args) throws Exception {
        Base64.Encoder base64 = Base64.getEncoder();
        for (String sql : Files.readAllLines(Paths.get(args[0]))) {
            RowType row =
                    (RowType)
                            LogicalTypeParser.parse(
                                    "ROW<v " + sql + ">", TypeFixtures.class.getClassLoader());
            System.out.println("json " + ModelConfig.typeToJson(row.getTypeAt(0)));
            try (ArrowBatchCodec arrow = new ArrowBatchCodec("fixtures", row, row)) {
                System.out.println("input " + base64.encodeToString(arrow.inputSchemaBytes()));
                System.out.println("output " + base64.encodeToString(arrow.outputSchemaBytes()));
            }
        }
    }
}
