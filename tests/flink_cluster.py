"""A Flink standalone session cluster on loopback, started with the scripts of the PyFlink install.

Only temporary folders are written: the PyFlink install's conf/, log/ and lib/ stay as they
are. Flink's scripts read them from FLINK_CONF_DIR, FLINK_LOG_DIR, FLINK_PID_DIR and
FLINK_LIB_DIR (bin/config.sh):

- conf/: a copy of the install's, with free ports, loopback addresses, 2 slots, small memory,
  and whatever a test adds (a metric reporter, say);
- lib/: links to the install's lib/*.jar (pyflink-ml-predict.jar is among them) plus
  opt/flink-python-*.jar, which the provider needs on the TaskManagers and which a stock Flink
  keeps in opt/; the same as `cp opt/flink-python-*.jar lib/` in a Flink distribution; and any
  jar a test adds (a file system, say).
"""
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import pyflink
import yaml

FLINK_HOME = os.path.dirname(os.path.abspath(pyflink.__file__))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flatten(mapping, prefix=""):
    flat = {}
    for key, value in mapping.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


class StandaloneCluster:
    """start() runs bin/start-cluster.sh and waits for a TaskManager; stop() always cleans up."""

    def __init__(self, workdir, slots: int = 2, config=None, jars=()):
        self.workdir = str(workdir)
        self.conf_dir = os.path.join(self.workdir, "conf")
        self.log_dir = os.path.join(self.workdir, "log")
        self.pid_dir = os.path.join(self.workdir, "pid")
        self.lib_dir = os.path.join(self.workdir, "lib")
        self.slots = slots
        self.extra_config = dict(config or {})
        self.extra_jars = list(jars)
        self.rest_port = free_port()
        self._pids = set()

    @property
    def env(self):
        """The environment for the Flink scripts: this cluster's folders, nothing shared."""
        env = dict(os.environ)
        env.update(FLINK_CONF_DIR=self.conf_dir, FLINK_LOG_DIR=self.log_dir,
                   FLINK_PID_DIR=self.pid_dir, FLINK_LIB_DIR=self.lib_dir,
                   FLINK_IDENT_STRING="pyflink-ml-predict-test")
        return env

    def _write_conf(self):
        shutil.copytree(os.path.join(FLINK_HOME, "conf"), self.conf_dir)
        path = os.path.join(self.conf_dir, "config.yaml")
        with open(path, encoding="utf-8") as f:
            config = _flatten(yaml.safe_load(f) or {})
        config.update({
            "jobmanager.rpc.address": "localhost",
            "jobmanager.rpc.port": free_port(),
            "jobmanager.bind-host": "localhost",
            "taskmanager.host": "localhost",
            "taskmanager.bind-host": "localhost",
            "rest.address": "localhost",
            "rest.bind-address": "localhost",
            "rest.port": self.rest_port,
            "taskmanager.numberOfTaskSlots": self.slots,
            "parallelism.default": 1,
            "jobmanager.memory.process.size": "1024m",
            "taskmanager.memory.process.size": "1536m",
        })
        config.update(self.extra_config)
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(config, f, width=1 << 20)

    def _link_lib(self):
        os.makedirs(self.lib_dir)
        jars = glob.glob(os.path.join(FLINK_HOME, "lib", "*.jar"))
        jars += glob.glob(os.path.join(FLINK_HOME, "opt", "flink-python-*.jar"))
        for jar in jars + [str(j) for j in self.extra_jars]:
            os.symlink(jar, os.path.join(self.lib_dir, os.path.basename(jar)))

    def start(self, timeout_s: float = 90.0):
        os.makedirs(self.log_dir)
        self._write_conf()
        self._link_lib()
        try:
            done = subprocess.run([os.path.join(FLINK_HOME, "bin", "start-cluster.sh")],
                                  env=self.env, capture_output=True, text=True, timeout=120)
            self._remember_pids()
            assert done.returncode == 0, (
                f"start-cluster.sh failed ({done.returncode}):\n{done.stdout}{done.stderr}"
                + self.log_tails())
            self._wait_for_task_manager(timeout_s)
        except BaseException:
            self.stop()
            raise
        return self

    def daemon_pids(self):
        """The pids of this cluster's running JobManager and TaskManager daemons."""
        self._remember_pids()
        return [pid for pid in self._pids if self._ours(pid)]

    def _remember_pids(self):
        for pid_file in glob.glob(os.path.join(self.pid_dir, "*.pid")):
            with open(pid_file) as f:
                self._pids.update(int(line) for line in f.read().split() if line.isdigit())

    def _wait_for_task_manager(self, timeout_s):
        deadline = time.monotonic() + timeout_s
        overview = None
        while time.monotonic() < deadline:
            try:
                overview = self.rest("/overview")
                if overview.get("taskmanagers", 0) >= 1 and overview.get("slots-total", 0) >= 1:
                    return
            except OSError as e:
                overview = repr(e)
            time.sleep(0.5)
        raise AssertionError(f"no TaskManager registered within {timeout_s:.0f} s on REST port"
                             f" {self.rest_port} (last /overview: {overview})" + self.log_tails())

    def table_env(self, streaming: bool = False, parallelism: int = 2):
        """A PyFlink table environment that submits its jobs to this cluster."""
        import sys

        from pyflink.table import EnvironmentSettings, TableEnvironment

        t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode() if streaming
                                        else EnvironmentSettings.in_batch_mode())
        config = t_env.get_config()
        config.set("execution.target", "remote")
        config.set("rest.address", "localhost")
        config.set("rest.port", str(self.rest_port))
        config.set("python.executable", sys.executable)
        config.set("parallelism.default", str(parallelism))
        return t_env

    def rest(self, path: str):
        url = f"http://localhost:{self.rest_port}{path}"
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)

    def wait_for_job(self, job_id: str, timeout_s: float = 120.0) -> str:
        """Waits until the job reaches a terminal state on the cluster and returns it."""
        deadline = time.monotonic() + timeout_s
        state = None
        while time.monotonic() < deadline:
            state = self.rest(f"/jobs/{job_id}")["state"]
            if state in ("FINISHED", "FAILED", "CANCELED"):
                return state
            time.sleep(0.5)
        raise AssertionError(f"job {job_id} still {state} after {timeout_s:.0f} s"
                             + self.log_tails())

    def jobs(self):
        """{job id: (name, state)} of every job the cluster knows."""
        return {job["jid"]: (job["name"], job["state"])
                for job in self.rest("/jobs/overview")["jobs"]}

    def log_tails(self, lines: int = 60) -> str:
        text = ""
        for path in sorted(glob.glob(os.path.join(self.log_dir, "*"))):
            with open(path, errors="replace") as f:
                tail = f.read().splitlines()[-lines:]
            text += f"\n--- {os.path.basename(path)} (last {len(tail)} lines) ---\n"
            text += "\n".join(tail)
        return text

    def stop(self):
        """stop-cluster.sh, then SIGTERM and SIGKILL for any daemon of ours still alive."""
        self._remember_pids()
        try:
            subprocess.run([os.path.join(FLINK_HOME, "bin", "stop-cluster.sh")], env=self.env,
                           capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            pass
        for sig, grace_s in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            alive = [pid for pid in self._pids if self._ours(pid)]
            if not alive:
                return
            for pid in alive:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + grace_s
            while time.monotonic() < deadline and any(_running(p) for p in alive):
                time.sleep(0.2)

    def _ours(self, pid: int) -> bool:
        """A daemon of this cluster still running (its command line names our log folder)."""
        if not _running(pid):
            return False
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                return self.log_dir.encode() in f.read()
        except OSError:
            return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
