"use strict";
// detect() for JavaScript: runs `resolver current --json`, with the binary of
// the platform package npm installed (@multienv/resolver-<os>-<cpu>), or the
// one MULTIENV_RESOLVER_PATH names.

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

// The variable that names the binary to run instead of the platform package's.
const PATH_VARIABLE = "MULTIENV_RESOLVER_PATH";

// The most detect() reads of resolver's output: far above what it can print
// (each string is at most 64 KiB, the values come from a file of at most
// 1 MiB), so that no valid answer is ever cut.
const MAX_OUTPUT = 256 * 1024 * 1024;

// The platforms a release has a package for, as process.platform-process.arch.
const PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64", "win32-arm64"];

// ResolverError: resolver failed. message is what it printed on stderr,
// exitCode its status (1 the environment could not be resolved, 2 usage,
// 3 the configuration; 124 no answer in time, 126 a binary that cannot be
// run, 127 no binary, 128+N killed by signal N, as shells report them).
class ResolverError extends Error {
  constructor(message, exitCode, stderr = "") {
    super(message);
    this.name = "ResolverError";
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

// The ELF machines (e_machine) each process.arch runs, and the Mach-O CPU
// types.
const ELF_MACHINES = { x64: [62, 3], arm64: [183, 40], ia32: [3], arm: [40], ppc64: [21], s390x: [22], riscv64: [243], loong64: [258] };
const MACHO_CPUS = { x64: 0x01000007, arm64: 0x0100000c };

// runnable reports whether bin starts as a program this system runs: a
// script (#!), or an executable of this system and CPU, as its header says. Node's spawn, as execvp
// does, runs any other file with /bin/sh, so that a binary of another
// platform, or any text, would run as a shell script. A file it cannot read
// is left to the system to refuse.
function runnable(bin) {
  if (process.platform === "win32") {
    return true;
  }
  const head = Buffer.alloc(20);
  let n;
  try {
    const fd = fs.openSync(bin, "r");
    try {
      n = fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return true;
  }
  if (n >= 2 && head[0] === 0x23 && head[1] === 0x21) {
    return true;
  }
  if (n < 8) {
    return false;
  }
  if (head.readUInt32BE(0) === 0x7f454c46) {
    const big = head[5] === 2;
    const type = big ? head.readUInt16BE(16) : head.readUInt16LE(16); // 2 an executable, 3 position-independent
    const machine = big ? head.readUInt16BE(18) : head.readUInt16LE(18);
    const ours = ELF_MACHINES[process.arch];
    return process.platform !== "darwin" && n === head.length && (type === 2 || type === 3) && (ours === undefined || ours.includes(machine));
  }
  if (head.readUInt32LE(0) === 0xfeedfacf) {
    const ours = MACHO_CPUS[process.arch];
    return process.platform === "darwin" && (ours === undefined || head.readUInt32LE(4) === ours);
  }
  return process.platform === "darwin" && head.readUInt32BE(0) === 0xcafebabe; // universal
}

// findResolver returns the path of the resolver binary. A relative
// MULTIENV_RESOLVER_PATH is relative to this process's working directory,
// whatever cwd detect() runs the binary in.
function findResolver(env = process.env) {
  const named = env[PATH_VARIABLE];
  if (named) {
    const abs = path.resolve(named);
    let st;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new ResolverError(`${PATH_VARIABLE}=${JSON.stringify(named)} names no file`, 127);
    }
    if (!st.isFile()) {
      throw new ResolverError(`${PATH_VARIABLE}=${JSON.stringify(named)} is not a file`, 126);
    }
    return abs;
  }
  const platform = `${process.platform}-${process.arch}`;
  if (!PLATFORMS.includes(platform)) {
    throw new ResolverError(`no resolver package for ${platform}; set ${PATH_VARIABLE} to a resolver binary`, 127);
  }
  const pkg = `@multienv/resolver-${platform}`;
  const exe = process.platform === "win32" ? "resolver.exe" : "resolver";
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    throw new ResolverError(
      `${pkg} is not installed (optional dependencies omitted?); reinstall without --omit=optional, or set ${PATH_VARIABLE}`,
      127,
    );
  }
}

// detect resolves the environment, as `resolver [--config FILE] current
// --json` does, and returns its JSON object (id, env, instance, kind,
// description, runtime, group, pr, source, rule, config, values, the CI
// facts, fork and event).
// options: config (a file), env (the variables resolver reads; default
// process.env), cwd (where multienv.toml is found from), timeout (ms).
function detect(options = {}) {
  const env = options.env ?? process.env;
  const args = [];
  if (options.config !== undefined) {
    args.push("--config", options.config);
  }
  args.push("current", "--json");
  const bin = findResolver(env);
  if (!runnable(bin)) {
    throw startFailure(bin, "ENOEXEC");
  }
  const cwd = options.cwd;
  if (cwd !== undefined) {
    let dir = false;
    try {
      dir = fs.statSync(cwd).isDirectory();
    } catch {
      // reported below
    }
    if (!dir) {
      throw new ResolverError(`cwd ${JSON.stringify(cwd)} is not a directory`, 2);
    }
  }
  const timeout = options.timeout ?? 30000;
  let out;
  try {
    out = execFileSync(bin, args, {
      env,
      cwd,
      timeout,
      maxBuffer: MAX_OUTPUT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      windowsHide: true,
    });
  } catch (e) {
    throw failure(e, bin, timeout);
  }
  let data;
  try {
    data = JSON.parse(out);
  } catch (e) {
    throw new ResolverError(`resolver printed no JSON: ${e.message}`, 1);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ResolverError("resolver printed JSON that is not an object", 1);
  }
  return data;
}

// startFailure is the ResolverError of a binary that did not start (code,
// its errno name): 127 when it (or its interpreter) is not there, else 126.
function startFailure(bin, code) {
  const why = { EACCES: "is not executable", ENOEXEC: "is not a program this system runs", ENOENT: "or its interpreter is not there" }[code] ?? "cannot be run";
  return new ResolverError(`resolver: ${bin} ${why} (${code})`, code === "ENOENT" ? 127 : 126);
}

// failure is the ResolverError of a run of bin that failed (e, as
// execFileSync throws it), with the status a shell would report.
function failure(e, bin, timeout) {
  const stderr = typeof e.stderr === "string" ? e.stderr : "";
  if (e.code === "ETIMEDOUT") {
    return new ResolverError(`resolver did not answer in ${timeout} ms`, 124, stderr);
  }
  if (e.code === "ENOBUFS") {
    return new ResolverError(`resolver printed more than ${MAX_OUTPUT} bytes`, 1, stderr);
  }
  if (typeof e.code === "string" && e.code.startsWith("ERR_")) {
    return new ResolverError(`resolver: ${e.message}`, 2); // Node refused the options
  }
  if (typeof e.code === "string") {
    return startFailure(bin, e.code);
  }
  if (typeof e.status === "number") {
    return new ResolverError(stderr.trim() || `resolver: exit ${e.status}`, e.status, stderr);
  }
  if (e.signal) {
    const n = os.constants.signals[e.signal];
    const code = typeof n === "number" ? 128 + n : 1;
    return new ResolverError(`resolver: killed by ${e.signal}`, code, stderr);
  }
  return new ResolverError(stderr.trim() || `resolver: ${e.message}`, 1, stderr);
}

module.exports = { detect, findResolver, runnable, startFailure, ResolverError, PATH_VARIABLE };
