// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A repository URL fit to be a tag: git remotes and Inspect's recorded origin can carry a token.

/**
 * `url` without user info, as MLflow's Python client strips it before tagging a run: a URL with
 * a scheme loses everything up to the last `@` of its authority (`https://user:token@host/repo`
 * → `https://host/repo`, `ssh://git@host/repo` → `ssh://host/repo`). A URL without a scheme
 * (`git@github.com:org/repo.git`, a local path) is returned as it is, unless its user part
 * before the `@` carries a password (`user:secret@host:repo` → `host:repo`), which Python would
 * keep.
 */
export function stripUrlCredentials(url: string): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s.exec(url);
  if (!match) {
    const head = url.split("/", 1)[0];
    const at = head.lastIndexOf("@");
    return at > 0 && head.slice(0, at).includes(":") ? url.slice(at + 1) : url;
  }
  const [, scheme, authority, rest] = match;
  const at = authority.lastIndexOf("@");
  return at < 0 ? url : scheme + authority.slice(at + 1) + rest;
}
