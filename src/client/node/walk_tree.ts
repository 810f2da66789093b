// Copyright 2026 the evalhooks authors. MIT license.

// The files of a folder tree, as `logArtifacts` uploads them: names and sizes only, nothing read.

import { lstat, readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** A regular file of the tree. */
export interface TreeFile {
  /** Path on disk. */
  path: string;
  /** Path relative to the tree's root, `/`-separated. */
  relative: string;
  /** Size in bytes when the tree was walked. */
  size: number;
}

/** What a walk found. */
export interface Tree {
  /** Regular files, and symbolic links to one, in name order, folder by folder. */
  files: TreeFile[];
  /**
   * Entries left out, relative and `/`-separated: links to folders (not followed, as Python's
   * `os.walk` does not by default, so a link cycle cannot loop), broken links, and special files
   * (FIFOs, sockets, devices), which have no content to upload, and a FIFO would block the read.
   */
  skipped: string[];
}

/**
 * Walks `root` depth first. Links to files are followed (their target's content is uploaded, as
 * Python's `log_artifacts` does); see {@linkcode Tree} for what is left out.
 */
export async function walkTree(root: string): Promise<Tree> {
  const tree: Tree = { files: [], skipped: [] };
  const visit = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    // Code-unit order, the same on every runtime and file system.
    entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const relative = prefix + entry.name;
      if (entry.isDirectory()) {
        await visit(path, relative + "/");
        continue;
      }
      // A Dirent says what the entry itself is; a link needs its target's type and size.
      const info = entry.isFile()
        ? await lstat(path).catch(() => undefined)
        : entry.isSymbolicLink()
        ? await stat(path).catch(() => undefined)
        : undefined;
      if (info?.isFile()) tree.files.push({ path, relative, size: info.size });
      else tree.skipped.push(relative);
    }
  };
  await visit(root, "");
  return tree;
}
