#!/usr/bin/env node
// Launcher of the argonctl npm package (the esbuild/biome pattern): the native
// binary comes from the one optional dependency @argonctl/<platform>-<arch>
// that npm installed for this machine; this script finds it and runs it with
// the same arguments and stdio, passes signals on, and exits with the binary's
// exit status (or dies of its signal). No install script needed.
//
// Installed as both `argonctl` and `argon`: they are the same program, so both
// run the same binary (argv[0] is set to the name used, for --help/usage).
//
// Environment:
//   ARGONCTL_BINARY          run this binary instead (debugging a local build)
//   ARGONCTL_TEST_PLATFORM   pretend to be on PLATFORM-ARCH, e.g. freebsd-x64
//                            (tests of the error messages only)
"use strict";

const childProcess = require("child_process");
const os = require("os");
const path = require("path");

// process.platform + "-" + process.arch -> package with the binary.
const PACKAGES = {
  "linux-x64": "@argonctl/linux-x64",
  "linux-arm64": "@argonctl/linux-arm64",
  "darwin-x64": "@argonctl/darwin-x64",
  "darwin-arm64": "@argonctl/darwin-arm64",
  "win32-x64": "@argonctl/win32-x64",
};

const SUPPORTED = Object.keys(PACKAGES);

// Signals sent to the launcher (e.g. `kill PID`) are passed on to the binary.
const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];

class LauncherError extends Error {}

/** The host as "platform-arch", or the ARGONCTL_TEST_PLATFORM override. */
function hostPlatform(env = process.env) {
  return env.ARGONCTL_TEST_PLATFORM || `${process.platform}-${process.arch}`;
}

/** The package that holds the binary for `platform` ("linux-x64"), or null. */
function packageFor(platform) {
  return Object.prototype.hasOwnProperty.call(PACKAGES, platform) ? PACKAGES[platform] : null;
}

/** The binary's path inside its package. */
function binaryName(platform) {
  return platform.startsWith("win32-") ? "bin/argonctl.exe" : "bin/argonctl";
}

function unsupportedMessage(platform) {
  return [
    `argonctl: no prebuilt binary for this platform (${platform}).`,
    `Supported platforms: ${SUPPORTED.join(", ")}.`,
    "Build it from source instead: cargo install argonctl",
    "(or point ARGONCTL_BINARY at a binary you built).",
  ].join("\n");
}

function missingMessage(platform, pkg) {
  return [
    `argonctl: the binary for ${platform} is missing: the optional dependency ${pkg} is not installed.`,
    "npm skips optional dependencies with --omit=optional / --no-optional, and a lockfile made on",
    "another platform can leave it out: reinstall argonctl without those (npm install argonctl).",
    `Supported platforms: ${SUPPORTED.join(", ")}.`,
    "Or build from source: cargo install argonctl (and set ARGONCTL_BINARY to use it from here).",
  ].join("\n");
}

/** Path of the binary to run; throws LauncherError with a helpful message. */
function resolveBinary(env = process.env) {
  if (env.ARGONCTL_BINARY) {
    return env.ARGONCTL_BINARY;
  }
  const platform = hostPlatform(env);
  const pkg = packageFor(platform);
  if (!pkg) {
    throw new LauncherError(unsupportedMessage(platform));
  }
  try {
    return require.resolve(`${pkg}/${binaryName(platform)}`);
  } catch (err) {
    throw new LauncherError(missingMessage(platform, pkg));
  }
}

/** The name this launcher was invoked as: "argon" or "argonctl". */
function invokedAs(argv = process.argv) {
  const base = path.basename(argv[1] || "", path.extname(argv[1] || ""));
  return base === "argon" ? "argon" : "argonctl";
}

function main() {
  let binary;
  try {
    binary = resolveBinary();
  } catch (err) {
    if (err instanceof LauncherError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  // An asynchronous spawn rather than spawnSync: a blocked event loop could
  // not forward signals, and `kill PID` of a launcher running `argonctl serve`
  // would orphan the server.
  const child = childProcess.spawn(binary, process.argv.slice(2), {
    stdio: "inherit",
    argv0: invokedAs(),
    windowsHide: true,
  });

  const handlers = {};
  for (const signal of FORWARDED_SIGNALS) {
    handlers[signal] = () => {
      if (process.platform !== "win32" && child.exitCode === null && child.signalCode === null) {
        try {
          child.kill(signal);
        } catch (_) {
          // the child is gone already
        }
      }
      // On Windows Ctrl-C reaches every process of the console, the binary
      // included: just outlive it and forward its exit code.
    };
    process.on(signal, handlers[signal]);
  }

  child.on("error", (err) => {
    process.stderr.write(`argonctl: could not run ${binary}: ${err.message}\n`);
    process.exit(1);
  });

  child.on("exit", (code, signal) => {
    for (const s of Object.keys(handlers)) process.removeListener(s, handlers[s]);
    if (signal) {
      // Die of the same signal so the caller sees what the binary saw. Node
      // ignores a few signals (SIGPIPE), hence the exit code fallback.
      try {
        process.kill(process.pid, signal);
      } catch (_) {
        // fall through
      }
      process.exit(128 + (os.constants.signals[signal] || 0));
    }
    process.exit(code === null ? 1 : code);
  });
}

module.exports = {
  PACKAGES,
  SUPPORTED,
  binaryName,
  hostPlatform,
  invokedAs,
  missingMessage,
  packageFor,
  resolveBinary,
  unsupportedMessage,
};

if (require.main === module) {
  main();
}
