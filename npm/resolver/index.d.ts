/** The environment resolved, as `resolver current --json` prints it. */
export interface Result {
  id: string;
  env: string;
  instance: string;
  kind: "devops" | "sandbox" | "workload" | "production";
  emoji: string;
  runtime: string;
  group: "local" | "ci" | "app";
  pr: boolean;
  source: string;
  rule: string;
  config: string;
  values: Record<string, unknown>;
  pr_number: string;
  branch: string;
  base_branch: string;
  tag: string;
  commit: string;
  build: string;
  build_url: string;
  repo: string;
  [key: string]: unknown;
}

export interface DetectOptions {
  /** The TOML file, as --config. */
  config?: string;
  /** The variables resolver reads; default process.env. */
  env?: Record<string, string | undefined>;
  /** The directory multienv.toml is found from. */
  cwd?: string;
  /** Milliseconds; default 30000. */
  timeout?: number;
}

/** resolver failed: message is its stderr, exitCode its status (1 unresolved, 2 usage, 3 configuration, 127 no binary). */
export class ResolverError extends Error {
  exitCode: number;
  stderr: string;
}

export const PATH_VARIABLE: "MULTIENV_RESOLVER_PATH";
export function detect(options?: DetectOptions): Result;
export function findResolver(env?: Record<string, string | undefined>): string;
