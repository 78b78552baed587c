#!/usr/bin/env bash
# The Java tier: compiles the provider (java/src/main) and its JUnit 5 tests (java/src/test)
# with plain javac against the installed PyFlink's jars, and runs the tests with JUnit's console
# launcher. Installs nothing: it needs a JDK (11 or newer), JUnit's console launcher (Debian:
# 'apt-get install junit5'; or set JUNIT_JAR) and a python on PATH (or $PYTHON) with
# apache-flink and this package's Python dependencies. Some runtime tests start real Python
# workers from this checkout's pyflink_ml_predict/. Exits non-zero when a test fails.
#
#   bash java/run-tests.sh                       all tests
#   bash java/run-tests.sh --select-class io.pyflinkml.predict.wire.FlatBatchCodecTest
#   PYFLINKML_TEST_LOG=INFO bash java/run-tests.sh    with the provider's log on stderr
#
# Arguments replace the default selection (--scan-classpath) and go to the launcher as they are.
set -euo pipefail

JAVA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$JAVA_DIR")"
JUNIT_JAR="${JUNIT_JAR:-/usr/share/java/junit-platform-console-standalone.jar}"
PYTHON="${PYTHON:-python}"

fail() {
    echo "java/run-tests.sh: $*" >&2
    exit 2
}

[[ -f "$JUNIT_JAR" ]] || fail "JUnit's console launcher is not at $JUNIT_JAR: install it with" \
    "'apt-get install junit5' (Debian/Ubuntu), or set JUNIT_JAR to a" \
    "junit-platform-console-standalone jar."
command -v javac >/dev/null || fail "javac is not on PATH (a JDK 11 or newer is needed)."
PYTHON_PATH="$(command -v "$PYTHON")" || fail "'$PYTHON' is not on PATH (set PYTHON)."
PYFLINK="$("$PYTHON_PATH" -c 'import pyflink, os; print(os.path.dirname(pyflink.__file__))' 2>/dev/null)" \
    || fail "'$PYTHON_PATH' cannot import pyflink: install apache-flink into it."

# Flink's jars as PyFlink ships them, and flink-python (pemja, the relocated Arrow); never an
# installed build of the provider itself, which the sources under test replace.
CLASSPATH_PARTS=()
shopt -s nullglob
for jar in "$PYFLINK"/lib/*.jar "$PYFLINK"/opt/flink-python*.jar; do
    case "$(basename "$jar")" in
        pyflink-ml-predict*.jar) ;;
        *) CLASSPATH_PARTS+=("$jar") ;;
    esac
done
shopt -u nullglob
[[ ${#CLASSPATH_PARTS[@]} -gt 0 ]] || fail "no Flink jars under $PYFLINK/lib."
FLINK_CP="$(IFS=:; echo "${CLASSPATH_PARTS[*]}")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pyflinkml-java-tests.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/main" "$WORK/test"

find "$JAVA_DIR/src/main/java" -name '*.java' >"$WORK/main-sources"
find "$JAVA_DIR/src/test/java" -name '*.java' >"$WORK/test-sources"
javac --release 11 -encoding UTF-8 -nowarn -cp "$FLINK_CP" -d "$WORK/main" @"$WORK/main-sources"
javac --release 11 -encoding UTF-8 -nowarn -cp "$WORK/main:$FLINK_CP:$JUNIT_JAR" \
    -d "$WORK/test" @"$WORK/test-sources"
[[ -d "$JAVA_DIR/src/main/resources" ]] && cp -R "$JAVA_DIR/src/main/resources/." "$WORK/main/"
[[ -d "$JAVA_DIR/src/test/resources" ]] && cp -R "$JAVA_DIR/src/test/resources/." "$WORK/test/"
# The rules both sides check their code against (tests/fixtures/shared_rules.json).
cp "$ROOT/tests/fixtures/shared_rules.json" "$WORK/test/"
# The wire fixtures Python writes, made afresh from this checkout's pyflink_ml_predict.
PYTHONPATH="$ROOT:$ROOT/tests${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON_PATH" \
    "$JAVA_DIR/src/test/resources/wire/make_fixtures.py" "$WORK/test/wire"

if [[ $# -eq 0 ]]; then
    set -- --scan-classpath "$WORK/test"
fi
COLORS=()
[[ -t 1 ]] || COLORS=(--disable-ansi-colors) # a CI log or a file

# java.nio is opened for Arrow's memory (as PyFlink's own launcher does).
java --add-opens=java.base/java.nio=ALL-UNNAMED \
    -Djava.io.tmpdir="$WORK" \
    -Dpyflinkml.test.python="$PYTHON_PATH" \
    -Dpyflinkml.test.root="$ROOT" \
    -Dpyflinkml.test.log="${PYFLINKML_TEST_LOG:-OFF}" \
    -jar "$JUNIT_JAR" \
    --disable-banner \
    ${COLORS[@]+"${COLORS[@]}"} \
    --details="${JUNIT_DETAILS:-tree}" \
    --include-engine=junit-jupiter \
    --fail-if-no-tests \
    --class-path "$WORK/test:$WORK/main:$FLINK_CP" \
    "$@"
