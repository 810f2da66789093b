// Copyright 2026 the evalhooks authors. MIT license.

// The import-graph architecture check behind tests/architecture_test.ts. It reads the shipped
// tree (src/ plus the entry files deno.json exports), finds every import by scanning the source
// text (no TypeScript compiler, so it runs the same under Deno and Bun), and reports:
// imports that point up a layer, imports of test code, cycles, and Node or runtime-global use
// reachable from an entry that must run in a browser.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { posix } from "node:path";

/**
 * The layers of src/, lowest first. A file may import files of its own layer or of a lower one,
 * never of a higher one: a lower layer must not know about the layers built on it. Files outside
 * src/ (the root entry files such as mod.ts and cli.ts) are the top layer, `entry`.
 */
export const LAYERS: readonly { prefix: string; name: string; rank: number }[] = [
  { prefix: "src/base/", name: "base", rank: 0 },
  { prefix: "src/transport/", name: "transport", rank: 1 },
  { prefix: "src/store/", name: "store", rank: 2 },
  { prefix: "src/delivery/", name: "delivery", rank: 3 },
  { prefix: "src/client/", name: "client", rank: 4 },
  { prefix: "src/evaluate/", name: "evaluate", rank: 5 },
  { prefix: "src/integrations/", name: "integrations", rank: 6 },
  { prefix: "src/compare/", name: "compare", rank: 7 },
  { prefix: "src/local_server/", name: "local_server", rank: 8 },
];

/** The layer of every file outside src/: the entry files sit on top of everything. */
const ENTRY_LAYER = { prefix: "", name: "entry", rank: 9 };

/**
 * Node's built-in modules that can be imported without the `node:` prefix (Node 22's
 * `builtinModules`, written out so the check does not differ between runtimes). Subpaths such as
 * `fs/promises` are caught through their first segment.
 */
const NODE_BUILTINS = new Set([
  "assert",
  "async_hooks",
  "buffer",
  "child_process",
  "cluster",
  "console",
  "constants",
  "crypto",
  "dgram",
  "diagnostics_channel",
  "dns",
  "domain",
  "events",
  "fs",
  "http",
  "http2",
  "https",
  "inspector",
  "module",
  "net",
  "os",
  "path",
  "perf_hooks",
  "process",
  "punycode",
  "querystring",
  "readline",
  "repl",
  "stream",
  "string_decoder",
  "sys",
  "timers",
  "tls",
  "trace_events",
  "tty",
  "url",
  "util",
  "v8",
  "vm",
  "wasi",
  "worker_threads",
  "zlib",
]);

/** Cycles reported at most, so a tangle prints a readable list rather than thousands of lines. */
const MAX_CYCLES = 50;

/** One import found in a file. `line` is 1-based, the line of the `import`/`export` keyword. */
export interface ImportRef {
  specifier: string;
  line: number;
  typeOnly: boolean;
}

/** An entry file of the package, and whether it must run without Node APIs or runtime globals. */
export interface Entry {
  path: string;
  webOnly: boolean;
}

// ---------------------------------------------------------------------------------------------
// Reading the tree

/** The `exports` map of `root/deno.json`, as export key to repo-relative POSIX file path. */
export function readExports(root: string): { key: string; path: string }[] {
  const denoJson = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));
  const raw: unknown = denoJson.exports;
  // deno.json allows a bare string for a package with one entry.
  const map: Record<string, unknown> = typeof raw === "string"
    ? { ".": raw }
    : (raw as Record<string, unknown> | undefined) ?? {};
  return Object.entries(map)
    .filter((pair): pair is [string, string] => typeof pair[1] === "string")
    .map(([key, path]) => ({ key, path: posix.normalize(path) }));
}

/** Every `.ts` file under `root/src` plus the exported entry files, by repo-relative POSIX path. */
export function readSourceTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const add = (absolute: string) => {
    const key = relative(root, absolute).split(sep).join("/");
    files.set(key, readFileSync(absolute, "utf8"));
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith(".ts")) add(full);
    }
  };
  walk(join(root, "src"));
  for (const { path } of readExports(root)) add(join(root, ...path.split("/")));
  return new Map([...files].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Scanning source text

/**
 * Two views of a source, both the same length as it with every newline kept, so an offset or a
 * line number in either is one in the original:
 * - `code`: comments blanked. Import specifiers are read from here.
 * - `bare`: comments and the contents of string, template and regex literals blanked. Patterns
 *   are matched here, so a string or a JSDoc example that reads like an import, or mentions
 *   `Deno.exit`, is never taken for code.
 */
interface Views {
  code: string;
  bare: string;
}

/** Words after which a `/` starts a regex literal rather than a division. */
const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "instanceof",
  "yield",
  "await",
]);

/** Punctuation after which a `/` starts a regex literal rather than a division. */
const REGEX_AFTER_PUNCTUATION = "(,=:[!&|?{};+-*%<>~^";

const isIdentChar = (c: string) => /[\w$]/.test(c);

/** Splits `source` into the two views; a small lexer, enough for comments, literals and regexes. */
function scan(source: string): Views {
  const code: string[] = [];
  const bare: string[] = [];
  const n = source.length;
  const blank = (c: string) => c === "\n" || c === "\r" ? c : " ";
  const keep = (c: string) => {
    code.push(c);
    bare.push(c);
  };
  const dropBoth = (c: string) => {
    code.push(blank(c));
    bare.push(blank(c));
  };
  const literal = (c: string) => {
    code.push(c);
    bare.push(blank(c));
  };

  /** A `//` or `/* *\/` comment starting at `i`; returns the index after it. */
  const comment = (i: number): number => {
    const end = source[i + 1] === "/"
      ? (source.indexOf("\n", i) + 1 || n + 1) - 1
      : (source.indexOf("*/", i + 2) + 1 || n - 1) + 1;
    for (; i < end; i++) dropBoth(source[i]);
    return i;
  };

  /** A '…' or "…" string starting at `i`; returns the index after it. */
  const quoted = (i: number): number => {
    const quote = source[i];
    keep(source[i++]);
    while (i < n && source[i] !== quote && source[i] !== "\n") {
      if (source[i] === "\\" && i + 1 < n) literal(source[i++]);
      literal(source[i++]);
    }
    if (i < n && source[i] === quote) keep(source[i++]);
    return i;
  };

  /** A regex literal starting at `i`; returns the index after its closing `/` (flags are code). */
  const regex = (i: number): number => {
    keep(source[i++]);
    let inClass = false;
    while (i < n && source[i] !== "\n") {
      const c = source[i];
      if (c === "/" && !inClass) break;
      if (c === "\\" && i + 1 < n) literal(source[i++]);
      else if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      literal(source[i++]);
    }
    if (i < n && source[i] === "/") keep(source[i++]);
    return i;
  };

  /** A template literal starting at `i`; its `${…}` parts are code. Returns the index after it. */
  const template = (i: number): number => {
    keep(source[i++]);
    while (i < n && source[i] !== "`") {
      if (source[i] === "\\" && i + 1 < n) {
        literal(source[i++]);
        literal(source[i++]);
      } else if (source[i] === "$" && source[i + 1] === "{") {
        keep(source[i++]);
        keep(source[i++]);
        i = codeUntilBrace(i, true);
      } else literal(source[i++]);
    }
    if (i < n) keep(source[i++]);
    return i;
  };

  /**
   * Code from `i`. Inside a template's `${…}` (`nested`), stops after the `}` that closes it.
   * Tracks the last token to tell a regex literal from a division.
   */
  const codeUntilBrace = (i: number, nested: boolean): number => {
    let depth = 0;
    let lastChar = "";
    let lastWord = "";
    let inWord = false;
    while (i < n) {
      const c = source[i];
      const next = source[i + 1];
      if (c === "/" && (next === "/" || next === "*")) {
        i = comment(i);
        inWord = false;
        continue;
      }
      if (c === "'" || c === '"') i = quoted(i);
      else if (c === "`") i = template(i);
      else if (c === "/" && startsRegex(lastChar, lastWord)) i = regex(i);
      else {
        if (c === "{") depth++;
        if (c === "}") {
          if (nested && depth === 0) {
            keep(source[i++]);
            return i;
          }
          depth--;
        }
        keep(source[i++]);
        if (isIdentChar(c)) {
          lastWord = inWord ? lastWord + c : c;
          inWord = true;
          lastChar = c;
        } else if (/\s/.test(c)) inWord = false;
        else {
          inWord = false;
          lastWord = "";
          lastChar = c;
        }
        continue;
      }
      // A literal just ended: a `/` after it is a division.
      inWord = false;
      lastWord = "";
      lastChar = ")";
    }
    return i;
  };

  const startsRegex = (lastChar: string, lastWord: string): boolean => {
    if (lastChar === "") return true;
    if (lastWord !== "") return REGEX_AFTER_WORD.has(lastWord);
    return REGEX_AFTER_PUNCTUATION.includes(lastChar);
  };

  let start = 0;
  // A `#!` line is not JavaScript; its slashes would read as a regex.
  if (source.startsWith("#!")) {
    const end = source.indexOf("\n");
    start = end === -1 ? n : end;
    for (let i = 0; i < start; i++) dropBoth(source[i]);
  }
  codeUntilBrace(start, false);
  return { code: code.join(""), bare: bare.join("") };
}

/** 1-based line of offset `index` in `text`. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text[i] === "\n") line++;
  return line;
}

/** The string literal whose opening quote is at `quoteAt` in `code`, without its quotes. */
function literalAt(code: string, quoteAt: number): string {
  const quote = code[quoteAt];
  const end = code.indexOf(quote, quoteAt + 1);
  return code.slice(quoteAt + 1, end === -1 ? code.length : end);
}

// Each pattern ends at the opening quote of the specifier (a group named `q`); `type` marks an
// `import type`/`export type`. They run over the `bare` view, where literal contents are blank.
const NOT_AFTER = String.raw`(?<![\w$.]|\.\s*)`;
const IMPORT_PATTERNS: RegExp[] = [
  // import X from "x"; import { a, b } from "x"; import X, * as Y from "x"; import type …
  new RegExp(
    NOT_AFTER +
      String
        .raw`\bimport\s+(?<type>type\s+)?(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s+[\w$]+)?\s*from\s*(?<q>["'])`,
    "g",
  ),
  // import "x";
  new RegExp(NOT_AFTER + String.raw`\bimport\s*(?<q>["'])`, "g"),
  // export { a } from "x"; export * from "x"; export * as ns from "x"; export type …
  new RegExp(
    NOT_AFTER +
      String
        .raw`\bexport\s+(?<type>type\s+)?(?:\*(?:\s*as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(?<q>["'])`,
    "g",
  ),
  // import("x"), import(`x`) — a template only when it has no `${…}`, checked below.
  new RegExp(NOT_AFTER + String.raw`\bimport\s*\(\s*(?<q>["'\x60])`, "g"),
];

/** Every static import, re-export and literal dynamic import in `source`, in source order. */
export function importsOf(_path: string, source: string): ImportRef[] {
  const { code, bare } = scan(source);
  const found: { index: number; ref: ImportRef }[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of bare.matchAll(pattern)) {
      const quoteAt = match.index + match[0].length - 1;
      const specifier = literalAt(code, quoteAt);
      if (code[quoteAt] === "`" && specifier.includes("${")) continue;
      found.push({
        index: match.index,
        ref: {
          specifier,
          line: lineAt(source, match.index),
          typeOnly: match.groups?.type !== undefined,
        },
      });
    }
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.ref);
}

/** Lines where `source` uses the `Deno` or `Bun` global directly (`Deno.x`, `Bun?.x`). */
function runtimeGlobalUses(source: string): { name: string; line: number }[] {
  const { bare } = scan(source);
  // Preceded by `.` (as in `globalThis.Deno`, `g?.Deno`) is a property, which is how feature
  // detection reads it; only the bare identifier throws where the runtime is absent.
  const pattern = new RegExp(NOT_AFTER + String.raw`\b(Deno|Bun)\s*\??\.`, "g");
  return [...bare.matchAll(pattern)].map((m) => ({ name: m[1], line: lineAt(source, m.index) }));
}

/** Whether `specifier` names a Node built-in (or a Bun one), with or without a prefix. */
function isRuntimeModule(specifier: string): boolean {
  if (specifier.startsWith("node:") || specifier.startsWith("bun:")) return true;
  return NODE_BUILTINS.has(specifier.split("/")[0]);
}

const isRelative = (specifier: string) => specifier.startsWith("./") || specifier.startsWith("../");

// ---------------------------------------------------------------------------------------------
// Checking the graph

/** The layer of repo-relative `path`, or undefined for a file in src/ outside every layer. */
function layerOf(path: string): { name: string; rank: number } | undefined {
  if (!path.startsWith("src/")) return ENTRY_LAYER;
  return LAYERS.find((layer) => path.startsWith(layer.prefix));
}

/** One relative import, resolved to a repo-relative path. */
interface Edge {
  from: string;
  to: string;
  line: number;
}

/** Resolves every relative import of every file; non-relative specifiers are not edges. */
function edgesOf(imports: Map<string, ImportRef[]>): Edge[] {
  const edges: Edge[] = [];
  for (const [from, refs] of imports) {
    for (const ref of refs) {
      if (!isRelative(ref.specifier)) continue;
      const to = posix.normalize(posix.join(posix.dirname(from), ref.specifier));
      edges.push({ from, to, line: ref.line });
    }
  }
  return edges;
}

/** Files in src/ that belong to no layer: they would escape the layer rule unnoticed. */
function unlayeredFiles(files: Map<string, string>): string[] {
  const prefixes = LAYERS.map((l) => l.prefix).join(", ");
  return [...files.keys()]
    .filter((path) => layerOf(path) === undefined)
    .map((path) => `file in no layer: ${path} (layers are ${prefixes})`);
}

/** Rule 1: an import from a lower layer to a higher one. */
function upwardArrows(files: Map<string, string>, edges: Edge[]): string[] {
  const out: string[] = [];
  for (const { from, to, line } of edges) {
    if (!files.has(to)) continue;
    const a = layerOf(from);
    const b = layerOf(to);
    if (a === undefined || b === undefined || b.rank <= a.rank) continue;
    out.push(
      `upward arrow: ${from}:${line} imports ${to} ` +
        `(${a.name}, layer ${a.rank} -> ${b.name}, layer ${b.rank})`,
    );
  }
  return out;
}

/** Rule 2: an import of test code, of anything else outside the shipped tree, or of nothing. */
function strayImports(files: Map<string, string>, edges: Edge[]): string[] {
  const out: string[] = [];
  for (const { from, to, line } of edges) {
    if (files.has(to)) continue;
    if (to.startsWith("tests/") || to === "tests") {
      out.push(`shipped code imports test code: ${from}:${line} imports ${to}`);
    } else if (!to.startsWith("src/")) {
      out.push(
        `shipped code imports a file outside src/ and the entry files: ${from}:${line} imports ${to}`,
      );
    } else out.push(`import of a missing file: ${from}:${line} imports ${to}`);
  }
  return out;
}

/** The in-tree successors of every file, sorted, once each. */
function adjacency(files: Map<string, string>, edges: Edge[]): Map<string, string[]> {
  const next = new Map<string, Set<string>>([...files.keys()].map((f) => [f, new Set()]));
  for (const { from, to } of edges) if (files.has(to)) next.get(from)!.add(to);
  return new Map([...next].map(([f, set]) => [f, [...set].sort()]));
}

/** Strongly connected components (Tarjan), each as a set of files. */
function components(graph: Map<string, string[]>): Set<string>[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: Set<string>[] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = new Set<string>();
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.add(w);
    } while (w !== v);
    result.push(component);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return result;
}

/**
 * Rule 3: every elementary cycle, type-only imports included (a type cycle still ties the files
 * together). Each is listed once, starting from its alphabetically first file.
 */
function cycles(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  let more = false;
  for (const component of components(graph)) {
    for (const start of [...component].sort()) {
      // Only cycles whose smallest file is `start`, so each cycle is found from one place.
      const path = [start];
      const onPath = new Set(path);
      const walk = (v: string) => {
        for (const w of graph.get(v)!) {
          if (!component.has(w) || w < start) continue;
          if (w === start) {
            if (out.length < MAX_CYCLES) out.push(`cycle: ${[...path, start].join(" -> ")}`);
            else more = true;
          } else if (!onPath.has(w) && !more) {
            path.push(w);
            onPath.add(w);
            walk(w);
            onPath.delete(w);
            path.pop();
          }
        }
      };
      walk(start);
    }
  }
  if (more) out.push(`cycle: more than ${MAX_CYCLES} cycles; the first ${MAX_CYCLES} are listed`);
  return out.sort();
}

/** Breadth-first from `entry`: every reachable file and the shortest chain that reaches it. */
function reach(graph: Map<string, string[]>, entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (chains.has(w)) continue;
      chains.set(w, [...chains.get(v)!, w]);
      queue.push(w);
    }
  }
  return chains;
}

/**
 * Rule 4: a file reachable from a web-only entry that imports a Node (or Bun) module or uses the
 * `Deno`/`Bun` global. Type-only imports count as edges too: a browser project type-checking
 * the entry would still have to resolve the file and its `node:` imports.
 */
function webOnlyLeaks(
  files: Map<string, string>,
  imports: Map<string, ImportRef[]>,
  graph: Map<string, string[]>,
  entries: Entry[],
): string[] {
  const out: string[] = [];
  for (const entry of entries.filter((e) => e.webOnly)) {
    if (!files.has(entry.path)) {
      out.push(`web-only entry ${entry.path} is not in the tree`);
      continue;
    }
    for (const [file, chain] of reach(graph, entry.path)) {
      const via = `(chain: ${chain.join(" -> ")})`;
      for (const ref of imports.get(file)!) {
        if (!isRuntimeModule(ref.specifier)) continue;
        out.push(
          `web-only entry ${entry.path} reaches a Node import: ${file}:${ref.line} imports ` +
            `"${ref.specifier}" ${via}`,
        );
      }
      for (const use of runtimeGlobalUses(files.get(file)!)) {
        out.push(
          `web-only entry ${entry.path} reaches a ${use.name}. global: ${file}:${use.line} ` +
            `uses ${use.name}. ${via}`,
        );
      }
    }
  }
  return out;
}

/**
 * Checks the import graph of `files` (repo-relative path to source) against the layer, test
 * import, cycle and web-only rules. Returns one human-readable line per violation; empty is clean.
 */
export function checkGraph(files: Map<string, string>, entries: Entry[]): string[] {
  const sorted = new Map([...files].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
  const imports = new Map([...sorted].map(([path, src]) => [path, importsOf(path, src)]));
  const edges = edgesOf(imports);
  const graph = adjacency(sorted, edges);
  return [
    ...unlayeredFiles(sorted),
    ...upwardArrows(sorted, edges),
    ...strayImports(sorted, edges),
    ...cycles(graph),
    ...webOnlyLeaks(sorted, imports, graph, entries),
  ];
}
