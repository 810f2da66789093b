// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The text formats of a git directory that the source tags need: HEAD, a loose ref, packed-refs,
// the `gitdir:` file of a worktree or submodule, and the remotes of `config`. Pure functions over
// the files' text, so git_source.ts only does the reading; no `git` process is started.

export { stripUrlCredentials } from "../../base/url_credentials.ts";

/** A full object id: 40 hex digits (SHA-1) or 64 (SHA-256 repositories). */
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** What `HEAD` (or a loose ref file) holds: a symbolic ref to follow, or a commit. */
export type RefValue = { ref: string } | { commit: string };

/**
 * Reads `HEAD` or a loose ref file: `ref: refs/heads/main` or an object id. Anything else, and a
 * ref outside `refs/` or with a `..` part (it becomes a path to read), is `undefined`.
 */
export function parseRefFile(text: string): RefValue | undefined {
  const line = text.trim();
  const symbolic = /^ref:\s*(\S+)$/.exec(line);
  if (symbolic) return isSafeRef(symbolic[1]) ? { ref: symbolic[1] } : undefined;
  const id = line.toLowerCase();
  return OBJECT_ID.test(id) ? { commit: id } : undefined;
}

/**
 * The refs of a `packed-refs` file, by name. Comment lines (`# pack-refs with: …`) and peeled
 * lines (`^<id>`, the commit an annotated tag points to) are skipped.
 */
export function parsePackedRefs(text: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const match = /^([0-9a-fA-F]{40}|[0-9a-fA-F]{64}) (\S+)\s*$/.exec(raw);
    if (match) refs.set(match[2], match[1].toLowerCase());
  }
  return refs;
}

/**
 * The target of a `.git` file (worktrees, submodules, `--separate-git-dir`):
 * `gitdir: ../.git/modules/lib` gives `../.git/modules/lib`, to be resolved against the folder
 * holding the file.
 */
export function parseGitdirFile(text: string): string | undefined {
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  return match?.[1];
}

/** The branch name of a ref on a branch (`refs/heads/feature/x` → `feature/x`), else undefined. */
export function branchOf(ref: string): string | undefined {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
}

/** True for a ref name that is safe to join to a git directory: under `refs/`, no `..` part. */
function isSafeRef(ref: string): boolean {
  return ref.startsWith("refs/") &&
    !ref.split("/").some((p) => p === "" || p === ".." || p === ".");
}

/**
 * The remotes of a git `config` file, in file order, each with its first `url`. Follows git's
 * syntax: section names and keys are case-insensitive, `[remote "origin"]` keeps its subsection's
 * case (the legacy `[remote.origin]` is lowercased), values may be quoted, escaped or continued
 * with a trailing `\`, and `#`/`;` start a comment outside quotes.
 */
export function parseGitRemotes(text: string): { name: string; url: string }[] {
  const remotes: { name: string; url: string }[] = [];
  let section = "";
  let subsection: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trim();
    if (line.startsWith("[")) {
      const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
      if (!header) {
        section = "";
        continue;
      }
      const name = header[1].toLowerCase();
      if (header[2] !== undefined) {
        section = name;
        subsection = header[2].replace(/\\(.)/g, "$1");
      } else {
        const dot = name.indexOf(".");
        section = dot < 0 ? name : name.slice(0, dot);
        subsection = dot < 0 ? undefined : name.slice(dot + 1);
      }
      // A key may follow the header on the same line.
      line = line.slice(header[0].length).trim();
      if (line === "") continue;
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=(.*))?$/.exec(line);
    if (!entry) continue;
    let value = entry[2] ?? "";
    // A value ending in an unescaped backslash continues on the next line.
    while (/(?:^|[^\\])(?:\\\\)*\\$/.test(value) && i + 1 < lines.length) {
      value = value.slice(0, -1) + lines[++i];
    }
    if (section !== "remote" || subsection === undefined || entry[1].toLowerCase() !== "url") {
      continue;
    }
    const url = configValue(value);
    if (url !== "" && !remotes.some((r) => r.name === subsection)) {
      remotes.push({ name: subsection, url });
    }
  }
  return remotes;
}

/** A config value as git reads it: quotes removed, escapes applied, comments and edges cut. */
function configValue(raw: string): string {
  let out = "";
  let quoted = false;
  // Whitespace outside quotes is kept only between words: trailing runs are cut at the end.
  let pendingSpace = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') {
      out += pendingSpace;
      pendingSpace = "";
      quoted = !quoted;
    } else if (c === "\\" && i + 1 < raw.length) {
      const next = raw[++i];
      out += pendingSpace + ({ n: "\n", t: "\t", b: "\b" }[next] ?? next);
      pendingSpace = "";
    } else if (!quoted && (c === "#" || c === ";")) {
      break;
    } else if (!quoted && (c === " " || c === "\t")) {
      if (out !== "") pendingSpace += c;
    } else {
      out += pendingSpace + c;
      pendingSpace = "";
    }
  }
  return out;
}
