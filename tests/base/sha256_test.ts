// Copyright 2026 the evalhooks authors. MIT license.

// SHA-256 of a dataset's identity, against the runtime's crypto.subtle.

import { test } from "node:test";
import assert from "node:assert/strict";
import { sha256Hex } from "../../src/base/sha256.ts";

test("sha256Hex: the same digest as crypto.subtle, across block boundaries and non-ASCII text", async () => {
  const texts = [
    "",
    "abc",
    "a".repeat(55),
    "a".repeat(56),
    "a".repeat(64),
    "Größe 𝔘 😀",
    "x".repeat(10_000),
  ];
  for (const text of texts) {
    const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    const hex = [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(sha256Hex(text), hex, `length ${text.length}`);
  }
});
