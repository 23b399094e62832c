"""Starts `argonctl serve` on a free loopback port with a fresh data dir."""

import os
import pathlib
import subprocess
import tempfile

import pymongo
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("ARGONCTL_BIN", str(ROOT / "target" / "debug" / "argonctl"))


class Argon:
    def __init__(self):
        self.home = tempfile.TemporaryDirectory()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ARGON")}
        env["ARGON_HOME"] = self.home.name
        env["NO_COLOR"] = "1"
        self.env = env
        self.proc = subprocess.Popen(
            [BIN, "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        self.uri = self.proc.stdout.readline().strip()
        assert self.uri.startswith("mongodb://"), self.proc.stderr.read()

    def cli(self, *args, check=True):
        """Runs the CLI against the same data dir while the server runs."""
        return subprocess.run([BIN, *args], env=self.env, capture_output=True, text=True, check=check)

    def client(self, **kw):
        return pymongo.MongoClient(self.uri, serverSelectionTimeoutMS=5000, **kw)

    def stop(self):
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
