"""Packaging checks: GitHub workflows and action, Homebrew formula, npm packages.

Runs from scripts/test (`pytest tests/wire tests/packaging`). The binary under
test is $ARGONCTL_BIN (default target/debug/argonctl); `argon` is expected
next to it (`cargo build --bins`). Needs node/npm (the npm end-to-end test
installs the packed tarballs with npm in offline mode: no network) and ruby
(`ruby -c` on the formula; scripts/test installs it when it can).
"""

import hashlib
import json
import os
import pathlib
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("ARGONCTL_BIN", str(ROOT / "target" / "debug" / "argonctl"))).resolve()
EXE = ".exe" if sys.platform == "win32" else ""
ARGON_BIN = BIN.with_name("argon" + EXE)

LAUNCHER = ROOT / "npm" / "argonctl" / "bin" / "argonctl.js"
FORMULA = ROOT / "homebrew" / "argonctl.rb"
ACTION = ROOT / "action.yml"
CI = ROOT / ".github" / "workflows" / "ci.yml"
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
PR_EXAMPLE = ROOT / "examples" / "github-actions" / "pr-branch.yml"

NPM_PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"]
RELEASE_TARGETS = {
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
}


def cargo_version():
    text = (ROOT / "Cargo.toml").read_text()
    return re.search(r'^\[package\]\n(?:[^\[].*\n|\n)*?version\s*=\s*"([^"]+)"', text, re.M).group(1)


VERSION = cargo_version()


def clean_env(home=None, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGON", "npm_"))}
    env["NO_COLOR"] = "1"
    if home is not None:
        env["ARGON_HOME"] = str(home)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def need(tool):
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"`{tool}` is not installed: the packaging tests need it (scripts/test installs what it can)")
    return path


def need_binaries():
    for b in (BIN, ARGON_BIN):
        if not b.exists():
            pytest.fail(f"{b} does not exist: build it first (cargo build --bins) or set ARGONCTL_BIN")


def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


def triggers(doc):
    # YAML 1.1 reads the bare key `on` as the boolean true.
    return doc.get("on", doc.get(True))


def steps_of(doc):
    for job_name, job in doc["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def run_text(doc):
    return "\n".join(step.get("run", "") for _, step in steps_of(doc))


# --------------------------------------------------------------------------
# (a) workflows and the composite action


@pytest.mark.parametrize("path", [ACTION, CI, RELEASE, PR_EXAMPLE], ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_parses_and_expressions_are_closed(path):
    doc = load_yaml(path)
    assert isinstance(doc, dict) and doc.get("name"), f"{path} has no name"
    text = path.read_text()
    assert text.count("${{") == text.count("}}"), f"unbalanced ${{{{ }}}} in {path}"
    assert "\t" not in text, f"tab in {path}"


@pytest.mark.parametrize("path", [CI, RELEASE, PR_EXAMPLE], ids=lambda p: p.name)
def test_workflow_structure(path):
    doc = load_yaml(path)
    assert triggers(doc), f"{path.name} has no `on:`"
    assert doc["jobs"], f"{path.name} has no jobs"
    for job_name, job in doc["jobs"].items():
        assert "runs-on" in job, f"{path.name}: job {job_name} has no runs-on"
        assert job.get("steps"), f"{path.name}: job {job_name} has no steps"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{path.name}: a step needs exactly one of uses/run: {step}"
            if "uses" in step:
                assert "@" in step["uses"], f"{path.name}: unpinned action {step['uses']}"


def test_action_is_a_composite_action_with_the_documented_interface():
    action = load_yaml(ACTION)
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    assert inputs["version"]["default"] == VERSION
    assert str(inputs["serve"]["default"]) == "false"
    assert str(inputs["port"]["default"]) == "27017"
    assert "data-dir" in inputs
    assert inputs["install-method"]["default"] == "release"
    assert "uri" in action["outputs"]
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash", f"composite run steps need a shell: {step.get('name')}"
            # Inputs reach scripts through env:, never by ${{ }} in the script (injection).
            assert "${{" not in step["run"], f"expression inside a run script: {step.get('name')}"
    script = "\n".join(s.get("run", "") for s in action["runs"]["steps"])
    for needle in ["SHA256SUMS", "GITHUB_PATH", "ARGON_HOME", "cargo install argonctl", "serve"]:
        assert needle in script, f"action.yml does not mention {needle}"


def test_ci_runs_scripts_test_on_ubuntu():
    ci = load_yaml(CI)
    on = triggers(ci)
    assert "push" in on and "pull_request" in on
    jobs = [j for j in ci["jobs"].values() if "ubuntu" in str(j["runs-on"])]
    assert jobs, "no ubuntu job"
    assert any("scripts/test" in s.get("run", "") for j in jobs for s in j["steps"])


def test_release_builds_the_five_targets_and_publishes_everything():
    release = load_yaml(RELEASE)
    tags = triggers(release)["push"]["tags"]
    assert "v*" in tags
    include = release["jobs"]["build"]["strategy"]["matrix"]["include"]
    assert {e["target"] for e in include} == RELEASE_TARGETS
    assert sorted(e["npm"] for e in include) == sorted(NPM_PLATFORMS)
    text = RELEASE.read_text()
    for needle in ["SHA256SUMS", "secrets.NPM_TOKEN", "npm publish", "scripts/npm-assemble", "homebrew/argonctl.rb", "gh pr create"]:
        assert needle in text, f"release.yml does not mention {needle}"
    # The asset names the action downloads are the ones release.yml makes.
    assert 'name="argonctl-v${VERSION}-${{ matrix.target }}"' in text
    assert 'archive="argonctl-v${version}-${target}.tar.gz"' in ACTION.read_text()


def test_pr_example_creates_tests_diffs_and_deletes_the_branch():
    doc = load_yaml(PR_EXAMPLE)
    types = triggers(doc)["pull_request"]["types"]
    assert {"opened", "synchronize", "closed"} <= set(types)
    assert doc["env"]["BRANCH"] == "pr-${{ github.event.pull_request.number }}"
    steps = [s for _, s in steps_of(doc)]
    assert any(s.get("uses", "").startswith("argonctl/argonctl@") for s in steps)
    scripts = run_text(doc)
    assert 'argonctl branches create "$BRANCH" --from main' in scripts
    assert 'argonctl branches show "$BRANCH"' in scripts  # idempotence
    assert re.search(r'diff "\$BRANCH" --stat', scripts)
    assert "GITHUB_STEP_SUMMARY" in scripts
    assert 'argonctl branches delete "$BRANCH"' in scripts
    uris = [s["env"]["MONGODB_URI"] for s in steps if "MONGODB_URI" in s.get("env", {})]
    # the branch database, with its @ percent-encoded as a URI path requires
    assert uris and "%40${{ env.BRANCH }}" in uris[0]
    jobs = doc["jobs"]
    assert any("closed" in str(j.get("if", "")) and "!=" not in str(j.get("if", "")) for j in jobs.values())


# --------------------------------------------------------------------------
# (b), (c) the Homebrew formula


def test_formula_ruby_syntax():
    ruby = need("ruby")
    r = subprocess.run([ruby, "-c", str(FORMULA)], capture_output=True, text=True)
    assert r.returncode == 0 and "Syntax OK" in r.stdout, r.stderr


def test_formula_structure():
    text = FORMULA.read_text()
    assert 'depends_on "rust" => :build' in text
    assert 'system "cargo", "install", *std_cargo_args' in text
    assert re.search(r'bash_completion\.install "completions/argonctl\.bash"', text)
    assert 'zsh_completion.install "completions/_argonctl"' in text
    assert 'fish_completion.install "completions/argonctl.fish"' in text
    assert 'man1.install Dir["man/*.1"]' in text
    for f in ["completions/argonctl.bash", "completions/_argonctl", "completions/argonctl.fish"]:
        assert (ROOT / f).exists(), f
    assert list((ROOT / "man").glob("*.1"))
    # release.yml rewrites exactly one url line and one sha256 line.
    assert len(re.findall(r'^  url ".*"$', text, re.M)) == 1
    assert len(re.findall(r'^  sha256 "[0-9a-f]*"$', text, re.M)) == 1
    assert "SHA256_PLACEHOLDER" in text


def formula_test_block():
    lines = FORMULA.read_text().splitlines()
    start = lines.index("  test do")
    end = lines.index("  end", start)
    return [line.strip() for line in lines[start + 1 : end]]


def test_formula_test_block_passes_against_the_built_binary(tmp_path):
    """Runs the commands of the formula's `test do` block, as brew test would."""
    need_binaries()
    bindir = BIN.parent
    env = clean_env(tmp_path)
    outputs = []
    ran = 0
    for line in formula_test_block():
        if not line or line.startswith("#") or line.startswith("ENV["):
            continue
        m = re.match(r'^system bin/"(\w+)"((?:, "[^"]*")*)$', line)
        if m:
            cmd = [str(bindir / (m.group(1) + EXE))] + re.findall(r'"([^"]*)"', m.group(2))
            r = subprocess.run(cmd, env=env, capture_output=True, text=True)
            assert r.returncode == 0, f"{line}\n{r.stderr}"
            ran += 1
            continue
        m = re.search(r'shell_output\("#\{bin\}/([^"]*)"(?:, (\d+))?\)', line)
        if m:
            command = str(bindir) + "/" + m.group(1)
            assert "#{" not in command, f"unsupported interpolation in {line}"
            r = subprocess.run(command, shell=True, env=env, capture_output=True, text=True)
            expected = int(m.group(2) or 0)
            assert r.returncode == expected, f"{line}: exit {r.returncode}, expected {expected}\n{r.stderr}"
            outputs.append((line, r.stdout))
            ran += 1
            continue
        assert "bin" not in line, f"the formula test line is not understood by this test, keep them in sync: {line}"
    assert ran >= 5, "parsed too few commands from the formula's test block"

    by_line = dict(outputs)
    version_line = next(l for l in by_line if "--version" in l)
    assert VERSION in by_line[version_line]
    json_line = next(l for l in by_line if "-o json" in l)
    branches = json.loads(by_line[json_line])
    expected_names = re.search(r"assert_equal %w\[([^\]]*)\]", "\n".join(formula_test_block())).group(1).split()
    assert sorted(b["name"] for b in branches) == expected_names
    feature = next(b for b in branches if b["name"] == "feature")
    assert feature["parent"] == "main" and feature["is_default"] is False


# --------------------------------------------------------------------------
# (d) npm end to end: assemble, pack, install offline, run


def node_platform():
    r = subprocess.run([need("node"), "-p", "process.platform + '-' + process.arch"], capture_output=True, text=True, check=True)
    return r.stdout.strip()


@pytest.fixture(scope="module")
def npm_install(tmp_path_factory):
    need_binaries()
    need("npm")
    host = node_platform()
    if host not in NPM_PLATFORMS:
        pytest.skip(f"no npm platform package for {host}")
    tmp = tmp_path_factory.mktemp("npm")
    out = tmp / "out"
    r = subprocess.run(
        [need("node"), str(ROOT / "scripts" / "npm-assemble"), "--binary", str(BIN), "--out", str(out), "--pack"],
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    assert r.returncode == 0, r.stderr
    tarballs = [pathlib.Path(p) for p in r.stdout.split() if p.endswith(".tgz")]
    assert sorted(t.name for t in tarballs) == sorted([f"argonctl-{VERSION}.tgz", f"argonctl-{host}-{VERSION}.tgz"])

    prefix = tmp / "prefix"
    prefix.mkdir()
    (tmp / "npmrc").write_text("")
    # No network: --offline answers from the (empty, private) cache only, and
    # the registry is an unreachable address in case anything tried anyway.
    # The main package's other optionalDependencies (other platforms) are
    # then not found, which npm tolerates for optional dependencies.
    cmd = [
        need("npm"), "install", "--prefix", str(prefix),
        "--offline", "--no-audit", "--no-fund", "--no-update-notifier",
        "--cache", str(tmp / "cache"), "--userconfig", str(tmp / "npmrc"),
        "--registry", "http://127.0.0.1:9/", "--loglevel", "error",
        *map(str, tarballs),
    ]  # fmt: skip
    started = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, env=clean_env(), timeout=120)
    assert r.returncode == 0, f"{' '.join(cmd)}\n{r.stdout}\n{r.stderr}"
    return {"prefix": prefix, "tarballs": tarballs, "host": host, "install_seconds": time.monotonic() - started, "tmp": tmp}


def test_npm_tarballs_contents(npm_install):
    host = npm_install["host"]
    for tgz in npm_install["tarballs"]:
        with tarfile.open(tgz) as tar:
            members = {m.name: m for m in tar.getmembers()}
            pkg = json.load(tar.extractfile("package/package.json"))
        assert pkg["version"] == VERSION
        assert not {"preinstall", "install", "postinstall"} & set(pkg.get("scripts", {})), "no install scripts"
        if pkg["name"] == "argonctl":
            assert pkg["bin"] == {"argonctl": "bin/argonctl.js", "argon": "bin/argonctl.js"}
            assert pkg["optionalDependencies"] == {f"@argonctl/{p}": VERSION for p in NPM_PLATFORMS}
            assert members["package/bin/argonctl.js"].mode & 0o111
            assert not any(n.startswith("package/bin/argonctl") and not n.endswith(".js") for n in members)
        else:
            assert pkg["name"] == f"@argonctl/{host}"
            osname, cpu = host.split("-")
            assert pkg["os"] == [osname] and pkg["cpu"] == [cpu]
            exe = members["package/bin/argonctl" + (".exe" if osname == "win32" else "")]
            assert exe.mode & 0o111, "the binary must stay executable in the tarball"
            assert "bin" not in pkg


def test_npm_offline_install_runs_both_commands(npm_install, tmp_path):
    prefix = npm_install["prefix"]
    bindir = prefix / "node_modules" / ".bin"
    argonctl = bindir / ("argonctl.cmd" if sys.platform == "win32" else "argonctl")
    argon = bindir / ("argon.cmd" if sys.platform == "win32" else "argon")
    # Only the host's platform package got installed.
    assert [p.name for p in (prefix / "node_modules" / "@argonctl").iterdir()] == [npm_install["host"]]

    env = clean_env(tmp_path / "home")
    r = subprocess.run([str(argonctl), "--version"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"argonctl {VERSION}"

    r = subprocess.run([str(argonctl), "projects", "create", "--name", "demo"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([str(argon), "branches", "list"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "main" in r.stdout
    r = subprocess.run([str(argon), "branches", "list", "-o", "json"], env=env, capture_output=True, text=True)
    assert [b["name"] for b in json.loads(r.stdout)] == ["main"]

    # Invoked as argon, the binary sees argv[0] = argon (its usage says so).
    r = subprocess.run([str(argon), "--help"], env=env, capture_output=True, text=True)
    assert "Usage: argon " in r.stdout
    # Exit codes pass through (2 = usage error).
    r = subprocess.run([str(argonctl), "no-such-command"], env=env, capture_output=True, text=True)
    assert r.returncode == 2, r.stderr


# --------------------------------------------------------------------------
# (e) the launcher on its own


def launcher(args, env, cwd=None, script=LAUNCHER, **kw):
    return subprocess.run([need("node"), str(script), *args], env=env, cwd=cwd, capture_output=True, text=True, **kw)


def test_launcher_maps_platforms_to_packages():
    code = (
        f"const l = require({json.dumps(str(LAUNCHER))});"
        "console.log(JSON.stringify({"
        "pkgs: l.SUPPORTED.map((p) => [p, l.packageFor(p), l.binaryName(p)]),"
        "unknown: l.packageFor('freebsd-x64'), proto: l.packageFor('constructor')}))"
    )
    r = subprocess.run([need("node"), "-e", code], capture_output=True, text=True, check=True)
    got = json.loads(r.stdout)
    assert got["unknown"] is None and got["proto"] is None
    assert got["pkgs"] == [
        [p, f"@argonctl/{p}", "bin/argonctl.exe" if p.startswith("win32") else "bin/argonctl"] for p in NPM_PLATFORMS
    ]


def test_launcher_names_an_unsupported_platform():
    r = launcher(["--version"], clean_env(ARGONCTL_TEST_PLATFORM="freebsd-riscv64"))
    assert r.returncode == 1
    assert "freebsd-riscv64" in r.stderr
    assert "Supported platforms: linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64" in r.stderr
    assert "cargo install argonctl" in r.stderr
    assert r.stdout == ""


def test_launcher_explains_a_missing_platform_package(tmp_path):
    # A copy outside the repository: no node_modules to find the package in.
    script = tmp_path / "argonctl.js"
    shutil.copy(LAUNCHER, script)
    r = launcher(["--version"], clean_env(ARGONCTL_TEST_PLATFORM="darwin-arm64"), script=script)
    assert r.returncode == 1
    assert "darwin-arm64" in r.stderr and "@argonctl/darwin-arm64 is not installed" in r.stderr
    assert "cargo install argonctl" in r.stderr


def test_launcher_binary_override_passes_arguments_and_exit_code(tmp_path):
    need_binaries()
    env = clean_env(tmp_path, ARGONCTL_BINARY=BIN)
    r = launcher(["--version"], env)
    assert r.returncode == 0 and r.stdout.strip() == f"argonctl {VERSION}"
    r = launcher(["diff", "no-such-ref"], env)
    assert r.returncode == 1
    r = launcher(["--no-such-flag"], env)
    assert r.returncode == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_launcher_reraises_the_binarys_signal(tmp_path):
    script = tmp_path / "selfkill"
    script.write_text("#!/bin/sh\nkill -TERM $$\n")
    script.chmod(0o755)
    r = launcher([], clean_env(ARGONCTL_BINARY=script))
    assert r.returncode == -signal.SIGTERM


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_launcher_forwards_sigterm_to_the_server(tmp_path):
    need_binaries()
    env = clean_env(tmp_path, ARGONCTL_BINARY=BIN)
    proc = subprocess.Popen(
        [need("node"), str(LAUNCHER), "serve", "--port", "0"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        uri = proc.stdout.readline().strip()
        assert uri.startswith("mongodb://127.0.0.1:"), proc.stderr.read()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0  # the server stopped cleanly, and so did the launcher
        assert "Stopped" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------
# the action's scripts, run locally against a fake release


def host_runner():
    system = {"Linux": "Linux", "Darwin": "macOS"}.get(platform.system())
    arch = {"x86_64": "X64", "amd64": "X64", "aarch64": "ARM64", "arm64": "ARM64"}.get(platform.machine().lower())
    target = {
        ("Linux", "X64"): "x86_64-unknown-linux-gnu",
        ("Linux", "ARM64"): "aarch64-unknown-linux-gnu",
        ("macOS", "X64"): "x86_64-apple-darwin",
        ("macOS", "ARM64"): "aarch64-apple-darwin",
    }.get((system, arch))
    if target is None:
        pytest.skip(f"no action test for {platform.system()}/{platform.machine()}")
    return system, arch, target


def action_step(step_id):
    return next(s for s in load_yaml(ACTION)["runs"]["steps"] if s.get("id") == step_id)


def fake_release(tmp_path, target, corrupt=False):
    """A release dir as release.yml publishes it, with wrappers around BIN."""
    name = f"argonctl-v{VERSION}-{target}"
    stage = tmp_path / "stage" / name
    stage.mkdir(parents=True)
    for exe in ("argonctl", "argon"):
        wrapper = stage / exe
        wrapper.write_text(f'#!/bin/sh\nexec "{BIN.with_name(exe)}" "$@"\n')
        wrapper.chmod(0o755)
    releases = tmp_path / "releases"
    (releases / f"v{VERSION}").mkdir(parents=True)
    archive = releases / f"v{VERSION}" / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(stage, arcname=name)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if corrupt:
        digest = "0" * 64
    (releases / f"v{VERSION}" / "SHA256SUMS").write_text(f"{digest}  {name}.tar.gz\n{'1' * 64}  other.zip\n")
    return releases


def run_install_step(tmp_path, releases, system, arch):
    runner_temp = tmp_path / "runner_temp"
    runner_temp.mkdir(exist_ok=True)
    files = {k: tmp_path / k for k in ("GITHUB_PATH", "GITHUB_ENV", "GITHUB_OUTPUT")}
    for f in files.values():
        f.write_text("")
    env = clean_env(
        ARGONCTL_VERSION=VERSION,
        INSTALL_METHOD="release",
        DATA_DIR="",
        RELEASES=f"file://{releases}",
        RUNNER_OS_NAME=system,
        RUNNER_ARCH_NAME=arch,
        RUNNER_TEMP=runner_temp,
        **{k: v for k, v in files.items()},
    )
    r = subprocess.run(["bash", "-c", action_step("install")["run"]], env=env, capture_output=True, text=True, timeout=60)
    outputs = dict(line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text().splitlines() if "=" in line)
    return r, files, outputs


def test_action_install_verifies_the_checksum_and_sets_up_path(tmp_path):
    need_binaries()
    need("curl")
    system, arch, target = host_runner()
    r, files, outputs = run_install_step(tmp_path, fake_release(tmp_path, target), system, arch)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "sha256 ok" in r.stdout
    bindir = pathlib.Path(files["GITHUB_PATH"].read_text().strip())
    assert (bindir / "argonctl").exists() and (bindir / "argon").exists()
    assert outputs["path"] == str(bindir)
    assert f"ARGON_HOME={outputs['argon-home']}" in files["GITHUB_ENV"].read_text()
    assert f"argonctl {VERSION}" in r.stdout

    # The serve step: background server, waits for the port, outputs uri/pid.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serve_env = clean_env(
        PORT=port, ARGON_HOME=outputs["argon-home"], BIN_DIR=bindir, RUNNER_TEMP=tmp_path / "runner_temp", GITHUB_OUTPUT=files["GITHUB_OUTPUT"]
    )
    files["GITHUB_OUTPUT"].write_text("")
    r = subprocess.run(["bash", "-c", action_step("serve")["run"]], env=serve_env, capture_output=True, text=True, timeout=60)
    served = dict(line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text().splitlines() if "=" in line)
    pid = int(served.get("pid", 0))
    try:
        assert r.returncode == 0, r.stdout + r.stderr
        assert served["uri"] == f"mongodb://127.0.0.1:{port}/?directConnection=true"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        if pid:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and process_alive(pid):
                time.sleep(0.1)
            assert not process_alive(pid), "argonctl serve did not stop on SIGTERM"


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = pathlib.Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            return stat.read_text().split(")")[-1].split()[0] != "Z"  # an unreaped zombie has stopped
        except OSError:
            return False
    return True


def test_action_install_rejects_a_checksum_mismatch(tmp_path):
    need("curl")
    system, arch, target = host_runner()
    r, files, _ = run_install_step(tmp_path, fake_release(tmp_path, target, corrupt=True), system, arch)
    assert r.returncode != 0
    assert "sha256 mismatch" in r.stdout
    assert files["GITHUB_PATH"].read_text() == ""


# --------------------------------------------------------------------------
# (f) one version everywhere


def test_versions_agree():
    npm_main = json.loads((ROOT / "npm" / "argonctl" / "package.json").read_text())
    where = {
        "npm/argonctl/package.json version": npm_main["version"],
        "action.yml inputs.version.default": str(load_yaml(ACTION)["inputs"]["version"]["default"]),
    }
    for name, spec in npm_main["optionalDependencies"].items():
        where[f"npm/argonctl/package.json optionalDependencies {name}"] = spec
    url = re.search(r'^  url "([^"]*)"', FORMULA.read_text(), re.M).group(1)
    where["homebrew/argonctl.rb url"] = re.search(r"/v([^/]+)\.tar\.gz$", url).group(1)
    example = PR_EXAMPLE.read_text()
    for i, tag in enumerate(re.findall(r"argonctl/argonctl@v([0-9][^\s]*)", example)):
        where[f"pr-branch.yml uses #{i}"] = tag
    for i, v in enumerate(re.findall(r"^\s+version: ([0-9][^\s]*)", example, re.M)):
        where[f"pr-branch.yml version #{i}"] = v
    readme_tags = re.findall(r"argonctl/argonctl@v([0-9][^\s`]*)", (ROOT / "README.md").read_text())
    for i, tag in enumerate(readme_tags):
        where[f"README.md uses #{i}"] = tag
    wrong = {k: v for k, v in where.items() if v != VERSION}
    assert not wrong, f"Cargo.toml says {VERSION}; bump these too: {wrong}"
    assert json.loads((ROOT / "npm" / "platform-template" / "package.json").read_text())["version"] == "__VERSION__"


def test_npm_packages_match_the_launcher():
    npm_main = json.loads((ROOT / "npm" / "argonctl" / "package.json").read_text())
    assert sorted(npm_main["optionalDependencies"]) == sorted(f"@argonctl/{p}" for p in NPM_PLATFORMS)
    assert "scripts" not in npm_main, "the main package must not have (install) scripts"
    assert npm_main["engines"]["node"] == ">=18"
    assert set(npm_main["files"]) >= {"bin/argonctl.js"}
    text = LAUNCHER.read_text()
    for p in NPM_PLATFORMS:
        assert f'"{p}": "@argonctl/{p}"' in text
