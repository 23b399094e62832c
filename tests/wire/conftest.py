"""Starts `argonctl serve` on a free loopback port with a fresh data dir."""

import collections
import os
import pathlib
import subprocess
import tempfile
import threading

import pymongo
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("ARGONCTL_BIN", str(ROOT / "target" / "debug" / "argonctl"))


class Argon:
    def __init__(self, *extra_args):
        self.extra_args = extra_args
        self.home = tempfile.TemporaryDirectory()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ARGON")}
        env["ARGON_HOME"] = self.home.name
        env["NO_COLOR"] = "1"
        self.env = env
        self.start()

    def start(self):
        """Starts the server (again) on this data dir and a new free port."""
        self.proc = subprocess.Popen(
            [BIN, "serve", "--port", "0", *self.extra_args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.env,
            text=True,
        )
        self.uri = self.proc.stdout.readline().strip()
        assert self.uri.startswith("mongodb://"), self.proc.stderr.read()
        # keep reading its output so a chatty server never blocks on a full pipe
        self.log = collections.deque(maxlen=200)
        for stream in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=self._drain, args=(stream,), daemon=True).start()

    def _drain(self, stream):
        for line in stream:
            self.log.append(line.rstrip("\n"))

    def kill(self):
        """SIGKILL: no checkpoint, no flush on the way out."""
        self.proc.kill()
        self.proc.wait(timeout=20)

    def cli(self, *args, check=True):
        """Runs the CLI against the same data dir while the server runs."""
        return subprocess.run([BIN, *args], env=self.env, capture_output=True, text=True, check=check)

    def client(self, **kw):
        return pymongo.MongoClient(self.uri, serverSelectionTimeoutMS=5000, **kw)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        finally:
            self.home.cleanup()


@pytest.fixture(scope="module")
def argon():
    a = Argon()
    yield a
    a.stop()


@pytest.fixture
def client(argon):
    c = argon.client()
    yield c
    c.close()


# Lines tests add here are printed at the end of the run (even with -q).
SUMMARIES = []


def pytest_terminal_summary(terminalreporter):
    for line in SUMMARIES:
        terminalreporter.write_line(line)
