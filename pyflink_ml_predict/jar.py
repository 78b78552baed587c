"""Where the provider's jar is: shipped inside ``pyflink/lib`` so local PyFlink finds it."""
import os

__all__ = ["jar_path"]

JAR_NAME = "pyflink-ml-predict.jar"


def jar_path() -> str:
    """Absolute path of the generic-python provider jar.

    A pip-installed PyFlink already has it on its classpath. Pass it to Flink's SQL client
    (``sql-client.sh -j <path>``) or copy it into a cluster's ``lib/`` folder.

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
