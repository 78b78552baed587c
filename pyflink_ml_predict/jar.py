"""Where the provider's jar is, and getting it into a session that does not load it by itself.

The wheel puts the jar in ``pyflink/lib``, which a pip-installed PyFlink loads into every
local JVM. With ``FLINK_HOME`` set to a Flink distribution, PyFlink loads that distribution's
``lib/`` instead, and the package's tools add the jar to their session (``pipeline.jars``).
"""
import os
import pathlib
import weakref

__all__ = ["jar_path", "add_jar_to_session"]

JAR_NAME = "pyflink-ml-predict.jar"

_sessions_with_jar = weakref.WeakSet()


def jar_path() -> str:
    """Absolute path of the generic-python provider jar (one jar serves Flink 2.1 to 2.3).

    A pip-installed PyFlink already has it on its classpath. Pass it to Flink's SQL client
    (``sql-client.sh -j <path>``), ``ADD JAR '<path>'`` in a session, or copy it into a
    cluster's ``lib/`` folder.

    >>> import os, pyflink_ml_predict
    >>> os.path.basename(pyflink_ml_predict.jar_path())
    'pyflink-ml-predict.jar'
    """
    import pyflink

    for folder in pyflink.__path__:
        candidate = os.path.join(folder, "lib", JAR_NAME)
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError(
        f"{JAR_NAME} is not in pyflink/lib; reinstall pyflink-ml-predict (pip install"
        " --force-reinstall pyflink-ml-predict) after installing apache-flink"
    )


def add_jar_to_session(t_env) -> bool:
    """Adds the provider jar to ``t_env``'s ``pipeline.jars`` when its JVM did not load it:
    PyFlink started from a Flink distribution (``FLINK_HOME``) whose ``lib/`` lacks it.
    Returns whether it added the jar; a session that has it already is left alone."""
    if t_env in _sessions_with_jar:
        return False
    added = not _jvm_loads_jar()
    if added:
        # pipeline.jars: PyFlink puts it on the class loader that both the planner's factory
        # look-up and this package's Java calls through py4j use, and ships it with each job.
        config = t_env.get_config()
        url = pathlib.Path(jar_path()).as_uri()
        jars = [j for j in (config.get("pipeline.jars", "") or "").split(";") if j]
        config.set("pipeline.jars", ";".join(jars + [url]))
    _sessions_with_jar.add(t_env)
    return added


def _jvm_loads_jar() -> bool:
    from pyflink.java_gateway import get_gateway

    classpath = get_gateway().jvm.System.getProperty("java.class.path") or ""
    return any(os.path.basename(entry) == JAR_NAME for entry in classpath.split(os.pathsep))
