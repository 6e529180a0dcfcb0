/** The environment resolved, as `resolver current --json` prints it. */
export interface Result {
  id: string;
  env: string;
  instance: string;
  kind: "devops" | "sandbox" | "workload" | "production";
  emoji: string;
  description: string;
  runtime: string;
  group: "local" | "ci" | "app";
  /** true whenever a pull-request number is known. */
  pr: boolean;
  source: string;
  rule: string;
  config: string;
  /**
   * The merged values of the environment, as JSON.parse reads them: an
   * integer beyond 2^53 (9007199254740993) comes back rounded, and 1.0 as 1.
   * resolver prints them exactly; `resolver get KEY` prints one value as
   * written, for a number that must stay exact.
   */
  values: Record<string, unknown>;
  pr_number: string;
  branch: string;
  base_branch: string;
  tag: string;
  commit: string;
  build: string;
  build_url: string;
  repo: string;
  /** true when the pull request's head repository is not the base repository, false when the vendor says it is the same, null when unknown. */
  fork: boolean | null;
  /** What started the job: push, pull_request, tag, schedule, manual, api or other; "" when unknown. */
  event: "push" | "pull_request" | "tag" | "schedule" | "manual" | "api" | "other" | "";
  [key: string]: unknown;
}

export interface DetectOptions {
  /** The TOML file, as --config. */
  config?: string;
  /** The variables resolver reads; default process.env. */
  env?: Record<string, string | undefined>;
  /** The directory multienv.toml is found from; one that is not there throws a ResolverError with exitCode 2. A relative MULTIENV_RESOLVER_PATH is relative to process.cwd(), not to this. */
  cwd?: string;
  /** Milliseconds; default 30000. */
  timeout?: number;
}

/**
 * resolver failed: message is its stderr, exitCode its status (1 unresolved,
 * 2 usage, 3 configuration; as shells report them: 124 no answer within the
 * timeout, 126 a binary that cannot be run (not executable, a directory,
 * no #! line, another platform's), 2 options Node refuses,
 * 127 no binary, 128+N killed by signal N, 137 for SIGKILL).
 */
export class ResolverError extends Error {
  exitCode: number;
  stderr: string;
}

export const PATH_VARIABLE: "MULTIENV_RESOLVER_PATH";
export function detect(options?: DetectOptions): Result;
export function findResolver(env?: Record<string, string | undefined>): string;
