#!/usr/bin/env node
"use strict";
// Runs the platform package's resolver (or $MULTIENV_RESOLVER_PATH) with
// this command's arguments, and exits as it does.

const { spawnSync } = require("node:child_process");
const os = require("node:os");
const { findResolver, runnable, startFailure } = require("../index.js");

function fail(e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(e.exitCode);
}

let bin;
try {
  bin = findResolver();
} catch (e) {
  process.stderr.write(`resolver: ${e.message}\n`);
  process.exit(e.exitCode ?? 127);
}
if (!runnable(bin)) {
  fail(startFailure(bin, "ENOEXEC"));
}
const r = spawnSync(bin, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (r.error) {
  fail(startFailure(bin, r.error.code));
}
if (r.signal) {
  process.kill(process.pid, r.signal);
  // A signal Node ignores (SIGPIPE) does not end it: exit as a shell
  // reports the death.
  process.exit(128 + (os.constants.signals[r.signal] ?? 0));
}
process.exit(r.status ?? 1);
