// Copyright 2026 the evalhooks authors. MIT license.

// The git source tags (`mlflow.source.git.*`), read from the repository's own files: no `git`
// process, so it works wherever the file system is readable (Deno needs `--allow-read`).

import type { Stats } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import {
  branchOf,
  parseGitdirFile,
  parseGitRemotes,
  parsePackedRefs,
  parseRefFile,
  stripUrlCredentials,
} from "./git_files.ts";

/** The tag keys MLflow's Python client uses for git (`mlflow/utils/mlflow_tags.py`). */
const GIT_TAGS = {
  commit: "mlflow.source.git.commit",
  branch: "mlflow.source.git.branch",
  repoURL: "mlflow.source.git.repoURL",
} as const;

/** Symbolic refs followed at most (`HEAD` → a branch → …), so a loop of refs ends. */
const MAX_REF_DEPTH = 5;

/**
 * The git source tags of the repository holding `dir`, as MLflow's Python client sets them on
 * a run, so MLflow's UI shows the commit in the run's Source column:
 *
 * - `mlflow.source.git.commit`: the commit `HEAD` points to;
 * - `mlflow.source.git.branch`: the branch checked out (absent on a detached `HEAD`);
 * - `mlflow.source.git.repoURL`: the URL of the remote `origin` (else of the first remote), with
 *   any `user:token@` removed, so a credential in a remote never reaches the server.
 *
 * The repository is found by walking up from `dir` to a `.git` folder, or a `.git` file
 * (`gitdir: …`, as worktrees and submodules have), and read from its files: `HEAD`, loose refs,
 * `packed-refs` and `config`. No `git` process is started. Outside a repository, in one without
 * a commit yet, or when the files cannot be read, the result is `{}`: it never throws. On Deno
 * it reads only what `--allow-read` grants and never prompts for more.
 *
 * @param dir Where to start looking; a file means its folder. @default {the main module's folder, else the working directory}
 * @returns The tags, each present only when known.
 *
 * @example Tag a run with the commit it ran at
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { gitSourceTags } from "@evalhooks/mlflow/node";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const git = await gitSourceTags();
 * console.log(git["mlflow.source.git.commit"]); // e.g. "3f9c2d1…", or undefined outside a repo
 * const run = mlflow.startRun({ runName: "nightly", tags: git });
 * run.end();
 * await mlflow.flush();
 * ```
 */
export async function gitSourceTags(dir?: string): Promise<Record<string, string>> {
  try {
    const start = await folderOf(dir ?? mainModulePath() ?? process.cwd());
    const repo = start === undefined ? undefined : await findGitDir(start);
    if (!repo) return {};
    const head = await readText(join(repo.gitDir, "HEAD"));
    const value = head === undefined ? undefined : parseRefFile(head);
    if (!value) return {};
    const commit = "commit" in value ? value.commit : await resolveRef(repo, value.ref);
    if (!commit) return {};
    const tags: Record<string, string> = { [GIT_TAGS.commit]: commit };
    const branch = "ref" in value ? branchOf(value.ref) : undefined;
    if (branch) tags[GIT_TAGS.branch] = branch;
    const config = await readText(join(repo.commonDir, "config"));
    const remotes = config === undefined ? [] : parseGitRemotes(config);
    const remote = remotes.find((r) => r.name === "origin") ?? remotes[0];
    if (remote) tags[GIT_TAGS.repoURL] = stripUrlCredentials(remote.url);
    return tags;
  } catch {
    // A permission refused, a file changing under us: no tags rather than a failed eval.
    return {};
  }
}

/**
 * The path of the script being run, where the runtime says: `Deno.mainModule` on Deno (a path
 * for a local file, the URL for a remote one), `process.argv[1]` on Node and Bun. `undefined`
 * in a REPL or when nothing says.
 *
 * @example
 * ```ts
 * import { mainModulePath } from "@evalhooks/mlflow/node";
 *
 * console.log(mainModulePath()); // e.g. "/home/me/evals/run_eval.ts"
 * ```
 */
export function mainModulePath(): string | undefined {
  const deno = (globalThis as { Deno?: { mainModule?: string } }).Deno;
  if (deno) {
    const main = deno.mainModule;
    if (!main) return undefined;
    return main.startsWith("file:") ? fileURLToPath(main) : main;
  }
  const script = process.argv[1];
  return script ? resolve(script) : undefined;
}

/**
 * False on Deno when `path` may not be read: looking for a repository is never worth a permission
 * prompt (the walk up reads folders the user did not name), so what is not granted is not read.
 */
function mayRead(path: string): boolean {
  const permissions = (globalThis as {
    Deno?: { permissions?: { querySync?(d: { name: "read"; path: string }): { state: string } } };
  }).Deno?.permissions;
  return !permissions?.querySync ||
    permissions.querySync({ name: "read", path }).state === "granted";
}

/** `stat`, or undefined when the path is missing or may not be read. */
function statOf(path: string): Promise<Stats | undefined> {
  return mayRead(path) ? stat(path).catch(() => undefined) : Promise.resolve(undefined);
}

/** The folder to start from: `path` itself if a folder, its parent if a file, else undefined. */
async function folderOf(path: string): Promise<string | undefined> {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(path)) return undefined; // a remote module: no repository
  const absolute = resolve(path);
  const info = await statOf(absolute);
  if (!info) return undefined;
  return info.isDirectory() ? absolute : dirname(absolute);
}

/** Where a repository's files are: `gitDir` holds HEAD, `commonDir` refs and config. */
interface GitDirs {
  gitDir: string;
  commonDir: string;
}

/** The git directory of the repository holding `start`, walking up to the file system root. */
async function findGitDir(start: string): Promise<GitDirs | undefined> {
  for (let folder = start;; folder = dirname(folder)) {
    const dotGit = join(folder, ".git");
    const info = await statOf(dotGit);
    let gitDir: string | undefined;
    if (info?.isDirectory()) gitDir = dotGit;
    else if (info?.isFile()) {
      const target = parseGitdirFile((await readText(dotGit)) ?? "");
      if (target) gitDir = isAbsolute(target) ? target : resolve(folder, target);
    }
    if (gitDir && (await readText(join(gitDir, "HEAD"))) !== undefined) {
      // A worktree's git dir names the main one (refs, packed-refs, config) in `commondir`.
      const common = (await readText(join(gitDir, "commondir")))?.trim();
      return { gitDir, commonDir: common ? resolve(gitDir, common) : gitDir };
    }
    if (dirname(folder) === folder) return undefined;
  }
}

/** The commit `ref` names: a loose ref file (following `ref:`), else `packed-refs`. */
async function resolveRef(repo: GitDirs, ref: string): Promise<string | undefined> {
  let packed: Map<string, string> | undefined;
  for (let depth = 0; depth < MAX_REF_DEPTH; depth++) {
    // Branches live in the common dir; per-worktree refs (refs/worktree/, refs/bisect/) in the
    // worktree's own.
    const loose = (await readText(join(repo.commonDir, ref))) ??
      (await readText(join(repo.gitDir, ref)));
    const value = loose === undefined ? undefined : parseRefFile(loose);
    if (value && "commit" in value) return value.commit;
    if (value) {
      ref = value.ref;
      continue;
    }
    packed ??= parsePackedRefs((await readText(join(repo.commonDir, "packed-refs"))) ?? "");
    return packed.get(ref);
  }
  return undefined;
}

/** A file's text, or undefined when it is missing or not a readable file. */
function readText(path: string): Promise<string | undefined> {
  if (!mayRead(path)) return Promise.resolve(undefined);
  return readFile(path, "utf8").catch(() => undefined);
}
