// Copyright 2026 the evalhooks authors. MIT license.

// The file-system entry `@evalhooks/mlflow/node` (#22): logArtifacts uploads a folder tree that
// reads back the same with our listArtifacts/downloadArtifact and with MLflow's own Python client,
// within a memory bound; gitSourceTags reads git's files the way MLflow's Python git utilities
// (GitPython) see the repository: loose and packed refs, detached HEAD, worktrees, `.git` files,
// credentials stripped from the remote.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { createMlflow, type Mlflow } from "../mod.ts";
import {
  detectSourceTags,
  gitSourceTags,
  logArtifacts,
  mainModulePath,
} from "../src/client/node/mod.ts";
import {
  parseGitRemotes,
  parsePackedRefs,
  parseRefFile,
  stripUrlCredentials,
} from "../src/client/node/git_files.ts";
import { mlflowPython } from "./harness/mlflow_python.ts";
import { readJsonFixture } from "./harness/fixtures.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

const WINDOWS = process.platform === "win32";

function python(code: string, env: Record<string, string> = {}): string {
  return mlflowPython(code, env);
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Every file under `path` of a run, recursively, with its size, through our listArtifacts. */
async function listTree(mlflow: Mlflow, runId: string, path: string): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  for (const entry of await mlflow.listArtifacts(runId, path)) {
    if (entry.isDir) {
      for (const [p, size] of await listTree(mlflow, runId, entry.path)) files.set(p, size);
    } else files.set(entry.path, entry.fileSize ?? 0); // the server leaves out a size of 0
  }
  return files;
}

/** A tree with nested folders, an empty file, unicode names, a 5 MB file and links. */
function makeTree(): { dir: string; files: Map<string, Uint8Array> } {
  const dir = mkdtempSync(join(tmpdir(), "evalhooks-tree-"));
  const big = new Uint8Array(5 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
  const files = new Map<string, Uint8Array>([
    ["a.txt", new TextEncoder().encode("alpha\n")],
    ["empty.txt", new Uint8Array(0)],
    ["nested/deeper/deepest/x.json", new TextEncoder().encode('{"x": 1}')],
    ["nested/b.csv", new TextEncoder().encode("q,a\n1,2\n")],
    ["ünïcødé/😀 名前.txt", new TextEncoder().encode("Größe 𝔘")],
    ["big.bin", big],
  ]);
  for (const [path, bytes] of files) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  mkdirSync(join(dir, "empty-folder"));
  if (!WINDOWS) {
    symlinkSync(join(dir, "a.txt"), join(dir, "link-to-a.txt")); // followed: a's content
    files.set("link-to-a.txt", files.get("a.txt")!);
    symlinkSync(join(dir, "nested"), join(dir, "link-to-nested")); // not followed
    symlinkSync(join(dir, "nowhere"), join(dir, "broken-link")); // skipped
    spawnSync("mkfifo", [join(dir, "fifo")]); // skipped (reading it would block)
  }
  return { dir, files };
}

test("logArtifacts: a tree (nested, empty file, unicode names, 5 MB, links) reads back the same with listArtifacts/downloadArtifact and Python's list_artifacts/download_artifacts", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("node-tree");
  const mlflow = createMlflow({ trackingUri: uri, experimentName });
  const { dir, files } = makeTree();
  try {
    const run = mlflow.startRun({ runName: "tree" });
    const result = await logArtifacts(mlflow, run, dir, "outputs/tree", { concurrency: 3 });
    const root = mlflow.startRun({ runName: "root" });
    const atRoot = await logArtifacts(mlflow, root, join(dir, "nested"));
    run.end();
    root.end();
    await mlflow.flush();

    const totalBytes = [...files.values()].reduce((n, b) => n + b.byteLength, 0);
    assert.deepEqual(result, {
      files: files.size,
      bytes: totalBytes,
      skipped: WINDOWS ? [] : ["broken-link", "fifo", "link-to-nested"],
    });
    assert.deepEqual(atRoot, { files: 2, bytes: 8 + 8, skipped: [] });

    const { runId } = await run.info();
    const listed = await listTree(mlflow, runId, "outputs/tree");
    assert.deepEqual(
      [...listed].sort(),
      [...files].map(([p, b]) => [`outputs/tree/${p}`, b.byteLength]).sort(),
    );
    for (const [path, bytes] of files) {
      const got = await mlflow.downloadArtifact(run, `outputs/tree/${path}`);
      assert.equal(sha256(got), sha256(bytes), path);
    }
    const rootId = (await root.info()).runId;
    assert.deepEqual([...(await listTree(mlflow, rootId, ""))].sort(), [
      ["b.csv", 8],
      ["deeper/deepest/x.json", 8],
    ]);

    // MLflow's own client: recursive listing and a download of the whole folder.
    const dst = mkdtempSync(join(tmpdir(), "evalhooks-dl-"));
    const theirs = JSON.parse(python(
      `import hashlib, json, os, mlflow
from mlflow import MlflowClient
client = MlflowClient()
def walk(path):
    for f in client.list_artifacts("${runId}", path):
        if f.is_dir:
            yield from walk(f.path)
        else:
            yield f.path, f.file_size or 0
listed = dict(walk("outputs/tree"))
local = mlflow.artifacts.download_artifacts(run_id="${runId}", artifact_path="outputs/tree", dst_path=${
        JSON.stringify(dst)
      })
hashes = {}
for base, _, names in os.walk(local):
    for n in names:
        p = os.path.join(base, n)
        hashes[os.path.relpath(p, local).replace(os.sep, "/")] = hashlib.sha256(open(p, "rb").read()).hexdigest()
print(json.dumps({"listed": listed, "hashes": hashes}, ensure_ascii=False))`,
      { MLFLOW_TRACKING_URI: uri },
    ));
    rmSync(dst, { recursive: true, force: true });
    assert.deepEqual(
      theirs.listed,
      Object.fromEntries([...files].map(([p, b]) => [`outputs/tree/${p}`, b.byteLength])),
    );
    assert.deepEqual(
      theirs.hashes,
      Object.fromEntries([...files].map(([p, b]) => [p, sha256(b)])),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await mlflow.close();
  }
});

test("logArtifacts: waits for the client's queue instead of overfilling it; a plain loop over logArtifact drops files", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("node-bound");
  const dir = mkdtempSync(join(tmpdir(), "evalhooks-bound-"));
  const chunk = 256 * 1024;
  for (let i = 0; i < 12; i++) {
    writeFileSync(join(dir, `part-${i}.bin`), new Uint8Array(chunk).fill(i));
  }
  writeFileSync(join(dir, "huge.bin"), new Uint8Array(3 * 1024 * 1024).fill(7)); // > the budget
  const budget = 1024 * 1024; // the client's whole queue: 1 MiB
  try {
    // A loop that reads and hands over every file at once overfills the queue: files dropped.
    const naive = createMlflow({
      trackingUri: uri,
      experimentName,
      maxQueuedBytes: budget,
      onError: () => {},
    });
    const lossy = naive.startRun({ runName: "naive" });
    for (let i = 0; i < 12; i++) {
      lossy.logArtifact(readFileSync(join(dir, `part-${i}.bin`)), `part-${i}.bin`);
    }
    lossy.end();
    await assert.rejects(naive.flush(), (e: { dropped: number }) => e.dropped > 0);
    await naive.close().catch(() => {});

    // logArtifacts with a bound within the budget: everything lands, nothing is dropped, and the
    // file larger than the budget goes through alone.
    const mlflow = createMlflow({ trackingUri: uri, experimentName, maxQueuedBytes: budget });
    let peak = 0;
    const stats = mlflow.stats.bind(mlflow);
    mlflow.stats = () => {
      const s = stats();
      peak = Math.max(peak, s.queuedBytes);
      return s;
    };
    const run = mlflow.startRun({ runName: "bounded" });
    const result = await logArtifacts(mlflow, run, dir, undefined, {
      concurrency: 4,
      maxPendingBytes: budget,
    });
    run.end();
    await mlflow.flush();
    assert.equal(result.files, 13);
    assert.equal(mlflow.stats().dropped, 0);
    assert.ok(peak <= 3 * 1024 * 1024, `queue peaked at ${peak} bytes`);
    const listed = await listTree(mlflow, (await run.info()).runId, "");
    assert.equal(listed.size, 13);
    assert.equal(listed.get("huge.bin"), 3 * 1024 * 1024);
    await mlflow.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("logArtifacts: a missing dir, a file, a bad artifactPath or option, and an unusable file name are typed errors, with nothing uploaded", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({ trackingUri: uri, experimentName: uniqueName("node-bad") });
  const dir = mkdtempSync(join(tmpdir(), "evalhooks-bad-"));
  writeFileSync(join(dir, "file.txt"), "x");
  try {
    const run = mlflow.startRun({ runName: "bad" });
    const missing = join(dir, "no-such-folder");
    await assert.rejects(logArtifacts(mlflow, run, missing), {
      name: "MlflowValidationError",
      rule: "directory",
      key: missing,
      message: /dir ".*no-such-folder" does not exist; it must be an existing directory/,
    });
    await assert.rejects(logArtifacts(mlflow, run, join(dir, "file.txt")), {
      name: "MlflowValidationError",
      rule: "directory",
      message: /is not a directory/,
    });
    await assert.rejects(logArtifacts(mlflow, run, ""), { rule: "value_type" });
    await assert.rejects(logArtifacts(mlflow, run, dir, "../up"), {
      name: "MlflowValidationError",
      rule: "artifact_path",
    });
    await assert.rejects(logArtifacts(mlflow, run, dir, undefined, { concurrency: 0 }), {
      name: "MlflowValidationError",
      rule: "value_type",
      key: "concurrency",
    });
    await assert.rejects(logArtifacts(mlflow, run, dir, undefined, { maxPendingBytes: 1.5 }), {
      rule: "value_type",
      key: "maxPendingBytes",
    });
    if (!WINDOWS) {
      // A name MLflow cannot store (a backslash) fails the call before anything is read.
      writeFileSync(join(dir, "a\\b.txt"), "y");
      await assert.rejects(logArtifacts(mlflow, run, dir), {
        name: "MlflowValidationError",
        rule: "artifact_path",
        key: "a\\b.txt",
      });
    }
    assert.equal(mlflow.stats().logged.artifacts, 0);
    // `artifactPath` with a trailing slash is the folder itself.
    rmSync(join(dir, "a\\b.txt"), { force: true });
    assert.deepEqual(await logArtifacts(mlflow, run, dir, "in/"), {
      files: 1,
      bytes: 1,
      skipped: [],
    });
    run.end();
    await mlflow.flush();
    assert.deepEqual([...(await listTree(mlflow, (await run.info()).runId, ""))], [[
      "in/file.txt",
      1,
    ]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await mlflow.close();
  }
});

// ---------------------------------------------------------------------------------------------
// git

/** git in a scratch repository, never the project's: GIT_* variables cleared, no user config. */
function git(cwd: string, ...args: string[]): string {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("GIT_") && v !== undefined) env[k] = v;
  }
  const out = spawnSync("git", ["-C", cwd, ...args], {
    encoding: "utf8",
    env: {
      ...env,
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  });
  assert.equal(out.status, 0, `git ${args.join(" ")}: ${out.stderr}`);
  return out.stdout.trim();
}

/**
 * What MLflow's Python git utilities (`mlflow/utils/git_utils.py`, on GitPython) say of each
 * path: the same three tags. The module is loaded by itself, without importing all of mlflow,
 * so each call takes a fraction of a second.
 */
function pythonGitTags(paths: string[]): Record<string, string>[] {
  return JSON.parse(python(
    `import importlib.util, json, os
root = importlib.util.find_spec("mlflow").submodule_search_locations[0]
spec = importlib.util.spec_from_file_location("git_utils", os.path.join(root, "utils", "git_utils.py"))
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)
out = []
for p in json.loads(${JSON.stringify(JSON.stringify(paths))}):
    tags = {"mlflow.source.git.commit": g.get_git_commit(p), "mlflow.source.git.branch": g.get_git_branch(p),
            "mlflow.source.git.repoURL": g.get_git_repo_url(p)}
    out.append({k: v for k, v in tags.items() if v is not None})
print(json.dumps(out))`,
    { GIT_PYTHON_REFRESH: "quiet" },
  ));
}

test("gitSourceTags: commit, branch and credential-free remote of a real repository, the same as MLflow's Python git utilities, through packed refs, a detached HEAD, a worktree and a .git file", async () => {
  const base = mkdtempSync(join(tmpdir(), "evalhooks-git-"));
  try {
    const repo = join(base, "repo");
    mkdirSync(join(repo, "src", "deep"), { recursive: true });
    git(repo, "init", "-q", "-b", "main");
    writeFileSync(join(repo, "src", "deep", "eval.ts"), "console.log(1);\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "first");
    git(
      repo,
      "remote",
      "add",
      "origin",
      "https://ci-bot:ghp_s3cr3tT0ken@github.com/acme/evals.git",
    );
    const first = git(repo, "rev-parse", "HEAD");
    const expected = {
      "mlflow.source.git.commit": first,
      "mlflow.source.git.branch": "main",
      "mlflow.source.git.repoURL": "https://github.com/acme/evals.git",
    };
    const check = async (path: string | string[], want: Record<string, string>, what: string) => {
      const paths = typeof path === "string" ? [path] : path;
      for (const p of paths) {
        const ours = await gitSourceTags(p);
        assert.deepEqual(ours, want, `${what}: ${p}`);
        assert.ok(!JSON.stringify(ours).includes("s3cr3t"), `${what}: credential leaked`);
      }
      assert.deepEqual(pythonGitTags(paths), paths.map(() => want), `${what} (Python)`);
    };
    // The root, a folder inside, a file inside.
    await check(
      [repo, join(repo, "src", "deep"), join(repo, "src", "deep", "eval.ts")],
      expected,
      "main",
    );

    // Refs packed: the branch is in packed-refs only.
    git(repo, "pack-refs", "--all");
    assert.throws(() => readFileSync(join(repo, ".git", "refs", "heads", "main")));
    await check(repo, expected, "packed refs");

    // A second commit on a branch with a slash, loose again.
    git(repo, "checkout", "-q", "-b", "feature/x");
    writeFileSync(join(repo, "b.txt"), "b");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "second");
    const second = git(repo, "rev-parse", "HEAD");
    await check(repo, {
      ...expected,
      "mlflow.source.git.commit": second,
      "mlflow.source.git.branch": "feature/x",
    }, "branch feature/x");

    // Detached HEAD: a commit and no branch.
    git(repo, "checkout", "-q", "--detach", first);
    const detached = { ...expected };
    delete (detached as Record<string, string>)["mlflow.source.git.branch"];
    await check(repo, detached, "detached HEAD");
    git(repo, "checkout", "-q", "main");

    // A worktree: `.git` is a file naming .git/worktrees/wt, whose commondir leads back.
    const wt = join(base, "wt");
    git(repo, "worktree", "add", "-q", "-b", "wt-branch", wt, "feature/x");
    assert.match(readFileSync(join(wt, ".git"), "utf8"), /^gitdir: /);
    await check(join(wt, "src"), {
      ...expected,
      "mlflow.source.git.commit": second,
      "mlflow.source.git.branch": "wt-branch",
    }, "worktree");

    // A relative `gitdir:` file, as a submodule's or a --separate-git-dir checkout's.
    const elsewhere = join(base, "checkout");
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, ".git"), "gitdir: ../repo/.git\n");
    assert.deepEqual(await gitSourceTags(elsewhere), expected, "relative gitdir file");

    // An ssh remote holds no secret and stays; without origin, the first remote is used.
    git(repo, "remote", "remove", "origin");
    git(repo, "remote", "add", "upstream", "git@github.com:acme/evals.git");
    await check(
      repo,
      { ...expected, "mlflow.source.git.repoURL": "git@github.com:acme/evals.git" },
      "ssh remote",
    );
    git(repo, "remote", "remove", "upstream");
    const noRemote = { ...expected };
    delete (noRemote as Record<string, string>)["mlflow.source.git.repoURL"];
    await check(repo, noRemote, "no remote");

    // No commit yet, not a repository, no such path: no tags, no error.
    const empty = join(base, "empty");
    mkdirSync(empty);
    git(empty, "init", "-q", "-b", "main");
    assert.deepEqual(await gitSourceTags(empty), {});
    const plain = join(base, "plain");
    mkdirSync(plain);
    assert.deepEqual(await gitSourceTags(plain), {});
    assert.deepEqual(await gitSourceTags(join(base, "no", "such", "path")), {});
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test("gitSourceTags: the parsers of HEAD, packed-refs and config, and credential stripping", () => {
  const id = "0123456789abcdef0123456789abcdef01234567";
  assert.deepEqual(parseRefFile("ref: refs/heads/main\n"), { ref: "refs/heads/main" });
  assert.deepEqual(parseRefFile(`${id.toUpperCase()}\n`), { commit: id });
  assert.equal(parseRefFile("ref: ../../etc/passwd"), undefined);
  assert.equal(parseRefFile("ref: refs/heads/../../x"), undefined);
  assert.equal(parseRefFile("garbage"), undefined);
  assert.deepEqual(
    parsePackedRefs(
      `# pack-refs with: peeled fully-peeled sorted\n${id} refs/heads/main\n` +
        `${"f".repeat(40)} refs/tags/v1\n^${"e".repeat(40)}\n`,
    ),
    new Map([["refs/heads/main", id], ["refs/tags/v1", "f".repeat(40)]]),
  );
  assert.deepEqual(
    parseGitRemotes([
      "[core]",
      "\turl = not-a-remote",
      '[Remote "Up Stream"]',
      '\tURL = "https://a.example/x.git" ; a comment',
      "\turl = https://second.example/ignored.git",
      "[remote.origin]",
      "  fetch = +refs/heads/*:refs/remotes/origin/*",
      "  url = ssh://git@host/repo.git # trailing comment",
      '[remote "odd"] url = C:\\\\repos\\\\odd\\',
      "  .git",
    ].join("\n")),
    [
      { name: "Up Stream", url: "https://a.example/x.git" },
      { name: "origin", url: "ssh://git@host/repo.git" },
      { name: "odd", url: "C:\\repos\\odd  .git" },
    ],
  );
  const cases: [string, string][] = [
    ["https://user:token@github.com/a/b.git", "https://github.com/a/b.git"],
    ["https://x-access-token:p@ss@host:8443/a?b#c", "https://host:8443/a?b#c"],
    ["ssh://git@host/repo.git", "ssh://host/repo.git"],
    ["https://github.com/a/b.git", "https://github.com/a/b.git"],
    ["git@github.com:a/b.git", "git@github.com:a/b.git"],
    ["user:secret@host:a/b.git", "host:a/b.git"],
    ["/srv/git/repo.git", "/srv/git/repo.git"],
  ];
  for (const [url, want] of cases) assert.equal(stripUrlCredentials(url), want, url);
});

test("detectSourceTags: the script's path, LOCAL, and the git tags of the repository given", async () => {
  const base = mkdtempSync(join(tmpdir(), "evalhooks-src-"));
  try {
    git(base, "init", "-q", "-b", "trunk");
    git(base, "commit", "-q", "--allow-empty", "-m", "empty");
    const tags = await detectSourceTags({ dir: base });
    const script = mainModulePath();
    assert.deepEqual(tags, {
      "mlflow.source.type": "LOCAL",
      ...(script ? { "mlflow.source.name": script } : {}),
      "mlflow.source.git.commit": git(base, "rev-parse", "HEAD"),
      "mlflow.source.git.branch": "trunk",
    });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test("sourceTags: detectSourceTags() on a client puts the git commit, branch and remote on its runs and traces (read by Python's get_run), and `cli import` from a repository tags the imported runs", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("node-source");
  const repo = mkdtempSync(join(tmpdir(), "evalhooks-srcrepo-"));
  try {
    git(repo, "init", "-q", "-b", "evals");
    git(repo, "commit", "-q", "--allow-empty", "-m", "empty");
    git(repo, "remote", "add", "origin", "https://bot:t0ken@git.example.com/acme/evals.git");
    const commit = git(repo, "rev-parse", "HEAD");
    const gitTags = {
      "mlflow.source.git.commit": commit,
      "mlflow.source.git.branch": "evals",
      "mlflow.source.git.repoURL": "https://git.example.com/acme/evals.git",
    };

    const mlflow = createMlflow({
      trackingUri: uri,
      experimentName,
      sourceTags: await detectSourceTags({ dir: repo }),
    });
    const run = mlflow.startRun({ runName: "tagged" });
    await mlflow.trace("answer", () => "42", { run });
    run.end();
    await mlflow.flush();
    const { runId } = await run.info();
    const tags = (await mlflow.getRun(runId)).tags;
    for (const [key, value] of Object.entries(gitTags)) assert.equal(tags[key], value, key);
    assert.equal(tags["mlflow.source.type"], "LOCAL");
    const [trace] = await mlflow.searchTraces({ experimentIds: [(await run.info()).experimentId] });
    const { info } = await mlflow.getTrace(trace.traceId);
    for (const [key, value] of Object.entries(gitTags)) {
      assert.equal(info.metadata[key], value, `trace ${key}`);
    }
    const theirs = JSON.parse(python(
      `import json
from mlflow import MlflowClient
print(json.dumps(MlflowClient().get_run("${runId}").data.tags))`,
      { MLFLOW_TRACKING_URI: uri },
    ));
    for (const [key, value] of Object.entries(gitTags)) assert.equal(theirs[key], value, key);
    await mlflow.close();

    // The CLI, run from inside the repository, tags what it imports with the repository's state.
    const cliExperiment = uniqueName("node-cli");
    const runtime = "Bun" in globalThis ? ["bun"] : ["deno", "run", "-A"];
    const out = spawnSync(runtime[0], [
      ...runtime.slice(1),
      join(import.meta.dirname!, "..", "cli.ts"),
      "import",
      join(import.meta.dirname!, "fixtures", "inspect", "formats.json"),
      "--experiment",
      cliExperiment,
      "--no-traces",
    ], { cwd: repo, encoding: "utf8", env: { ...process.env, MLFLOW_TRACKING_URI: uri } });
    assert.equal(out.status, 0, out.stderr);
    const reader = createMlflow({ trackingUri: uri });
    const experiment = await reader.getExperimentByName(cliExperiment);
    const imported = await reader.searchRuns({ experimentIds: [experiment!.experimentId] });
    assert.ok(imported.length > 1);
    // The log records the revision its eval ran at: that wins on the task run, as a set (no
    // branch of the importing checkout mixed in). The parent run has the checkout's state.
    const revision = readJsonFixture("formats.json").eval.revision!;
    for (const r of imported) {
      const want = r.tags["inspect.task"] && revision.commit
        ? { "mlflow.source.git.commit": revision.commit }
        : gitTags;
      for (const [key, value] of Object.entries(want)) assert.equal(r.tags[key], value, key);
      if (r.tags["inspect.task"]) assert.equal(r.tags["mlflow.source.git.branch"], undefined);
      assert.ok(!JSON.stringify(r.tags).includes("t0ken"));
    }
    await reader.close();
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
