#!/usr/bin/env node
"use strict";
// Runs the platform package's resolver (or $MULTIENV_RESOLVER_PATH) with
// this command's arguments, and exits as it does.

const { spawnSync } = require("node:child_process");
const { findResolver, startFailure } = require("../index.js");

let bin;
try {
  bin = findResolver();
} catch (e) {
  process.stderr.write(`resolver: ${e.message}\n`);
  process.exit(e.exitCode ?? 127);
}
const r = spawnSync(bin, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (r.error) {
  const e = startFailure(bin, r.error.code);
  process.stderr.write(`${e.message}\n`);
  process.exit(e.exitCode);
}
if (r.signal) {
  process.kill(process.pid, r.signal);
}
process.exit(r.status ?? 1);
