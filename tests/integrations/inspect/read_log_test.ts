// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import { Buffer } from "node:buffer";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseInspectJson } from "../../../mod.ts";
import {
  bytesSource,
  InspectLogError,
  readEvalLog,
  readInspectLog,
  readJsonLog,
} from "../../../src/integrations/inspect/mod.ts";
import { crc32 } from "../../../src/integrations/inspect/zip.ts";
import { nodeZstd } from "../../../src/integrations/inspect/node/zstd_node.ts";
import { fixtureNames, FIXTURES } from "../../harness/fixtures.ts";

async function collect(log: { samples(): AsyncIterable<unknown> }) {
  const out = [];
  for await (const s of log.samples()) out.push(s);
  return out;
}

test("inspect-read: every fixture reads, header and samples", async () => {
  for (const name of [...fixtureNames(".eval"), ...fixtureNames(".json")]) {
    const log = await readInspectLog(join(FIXTURES, name));
    const samples = await collect(log);
    await log.close();
    assert.ok(log.header.eval?.task, name);
    assert.equal(samples.length, log.sampleCount, name);
    // Every attachment and old tc:// reference is resolved.
    assert.doesNotMatch(JSON.stringify(samples), /"(attachment|tc):\/\/[0-9a-f]{8,}"/, name);
  }
});

type Read = {
  id: unknown;
  epoch: number;
  scores: unknown;
  messages: unknown[];
  events: { event: string }[];
};

test("inspect-read: formats.eval and formats.json hold the same log", async () => {
  const a = await readInspectLog(join(FIXTURES, "formats.eval"));
  const b = await readInspectLog(join(FIXTURES, "formats.json"));
  assert.deepEqual(a.header.eval.task_id, b.header.eval.task_id);
  assert.deepEqual(a.header.stats, b.header.stats);
  assert.deepEqual(a.header.results?.completed_samples, b.header.results?.completed_samples);
  const [sa, sb] = [await collect(a), await collect(b)] as Read[][];
  assert.ok(sa.length >= 6 && new Set(sa.map((s) => s.epoch)).size >= 2);
  assert.deepEqual(sa.map((s) => [s.id, s.epoch]), sb.map((s) => [s.id, s.epoch]));
  for (const [i, s] of sa.entries()) {
    assert.deepEqual(s.scores, sb[i].scores);
    assert.equal(s.messages.length, sb[i].messages.length);
    assert.deepEqual(s.events.map((e) => e.event), sb[i].events.map((e) => e.event));
  }
  await a.close();
  await b.close();
});

test("inspect-read: a .eval with chunked samples reads the same as its monolithic original", async () => {
  const a = await readInspectLog(join(FIXTURES, "formats.eval"));
  const b = await readInspectLog(join(FIXTURES, "chunked.eval"));
  assert.deepEqual(b.header, a.header);
  const [sa, sb] = [await collect(a), await collect(b)];
  assert.equal(sb.length, sa.length);
  assert.deepEqual(sb, sa);
  await a.close();
  await b.close();
});

test("inspect-read: a ZIP64 .eval (extra fields everywhere, ZIP64 end record) reads the same as its original", async () => {
  const bytes = readFileSync(join(FIXTURES, "zip64.eval"));
  // The fixture really is ZIP64 throughout: the ZIP64 end record and its locator are there.
  assert.ok(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])), "ZIP64 end record");
  assert.ok(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07])), "ZIP64 locator");
  const a = await readInspectLog(join(FIXTURES, "deflate.eval"));
  const b = await readInspectLog(join(FIXTURES, "zip64.eval"));
  assert.deepEqual(b.header, a.header);
  const [sa, sb] = [await collect(a), await collect(b)];
  assert.ok(sa.length > 0);
  assert.deepEqual(sb, sa);
  await a.close();
  await b.close();
});

test("inspect-read: a log from before eval_id and total_time reads (import_test imports it too)", async () => {
  const log = await readInspectLog(join(FIXTURES, "legacy.json"));
  assert.equal(log.header.eval.eval_id, undefined);
  const samples = await collect(log);
  assert.ok(samples.length >= 6);
  for (const s of samples) assert.equal((s as { total_time?: number }).total_time, undefined);
  await log.close();
});

// A sample as Inspect wrote it in 2024 (0.3.41), which inspect-ai 0.3.285 no longer writes: its
// events in a `transcript`, with the content they refer to as `tc://` references.
test("inspect-read: an older sample's `transcript` and tc:// references are promoted as Inspect does", async () => {
  const current = readJsonLog(readFileSync(join(FIXTURES, "formats.json"), "utf8"));
  const [sample] = await collect(current) as (Read & Record<string, unknown>)[];
  const ref = "0123456789abcdef0123456789abcdef";
  const { events, ...rest } = sample;
  const older = {
    ...rest,
    input: `tc://${ref}`,
    transcript: { events, content: { [ref]: "the question, from the transcript's content" } },
  };
  const log = readJsonLog(JSON.stringify({ ...current.header, samples: [older] }));
  const [read] = await collect(log) as (Read & Record<string, unknown>)[];
  assert.ok(sample.events.length > 0);
  assert.deepEqual(read.events, sample.events);
  assert.equal(read.input, "the question, from the transcript's content");
  assert.equal(read.transcript, undefined);
});

test("inspect-read: bare NaN and Infinity parse; the same letters inside strings stay text", () => {
  const value = parseInspectJson(
    '{"a": NaN, "b": -Infinity, "c": [Infinity, 1], "s": "NaN and \\"Infinity\\"", "n": null}',
  ) as Record<string, unknown>;
  assert.ok(Number.isNaN(value.a));
  assert.equal(value.b, -Infinity);
  assert.deepEqual(value.c, [Infinity, 1]);
  assert.equal(value.s, 'NaN and "Infinity"');
  assert.throws(() => parseInspectJson("{bad json NaN"), SyntaxError);
});

test("inspect-read: a truncated .eval is a clear InspectLogError", async () => {
  const bytes = readFileSync(join(FIXTURES, "streaming.eval"));
  for (const cut of [10, 200, 2000]) {
    await assert.rejects(
      readEvalLog(new Uint8Array(bytes.subarray(0, bytes.length - cut)), { name: "cut.eval" }),
      (e: unknown) =>
        e instanceof InspectLogError && /truncated|corrupt/.test(e.message) &&
        e.message.includes("cut.eval"),
    );
  }
});

for (const [fixture, method] of [["deflate.eval", 8], ["formats.eval", 93]] as const) {
  test(`inspect-read: a corrupted member fails its CRC-32 check (${fixture}, method ${method})`, async () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, fixture)));
    const zstd = nodeZstd();
    const log = await readEvalLog(bytes, { zstd });
    // Flip a byte inside the first sample's stored data: find it through its local header.
    const zip = await import("../../../src/integrations/inspect/zip.ts").then((m) =>
      m.openZip(bytesSource(bytes))
    );
    const entry = zip.entries.get("samples/1_epoch_1.json")!;
    assert.equal(entry.method, method);
    const view = new DataView(bytes.buffer);
    const dataStart = entry.localHeaderOffset + 30 +
      view.getUint16(entry.localHeaderOffset + 26, true) +
      view.getUint16(entry.localHeaderOffset + 28, true);
    const corrupt = bytes.slice();
    corrupt[dataStart + Math.floor(entry.compressedSize / 2)] ^= 0xff;
    const broken = await readEvalLog(corrupt, { name: "flipped.eval", zstd });
    await assert.rejects(
      collect(broken),
      (e: unknown) => e instanceof InspectLogError && /corrupt|decompress/.test(e.message),
    );
    const members = [...zip.entries.keys()].filter((n) => /^samples\/[^/]+\.json$/.test(n));
    assert.equal((await collect(log)).length, members.length);
  });
}

// A STORED zip of the given members, to build logs that Inspect writes only in unusual states.
function storedZip(members: [string, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of members) {
    const nameBytes = new TextEncoder().encode(name);
    const local = new Uint8Array(30 + nameBytes.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(14, crc32(data), true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    const cd = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint32(16, crc32(data), true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    cd.set(nameBytes, 46);
    parts.push(local, data);
    central.push(cd);
    offset += local.length + data.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, members.length, true);
  ev.setUint16(10, members.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const part of all) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

test("inspect-read: without header.json (a running or crashed eval) the header comes from the journal, status started", async () => {
  const original = await import("../../../src/integrations/inspect/zip.ts").then((m) =>
    m.openZip(bytesSource(new Uint8Array(readFileSync(join(FIXTURES, "streaming.eval")))), {
      zstd: nodeZstd(),
    })
  );
  const members: [string, Uint8Array][] = [];
  for (const name of original.entries.keys()) {
    if (name !== "header.json" && name !== "summaries.json" && name !== "reductions.json") {
      members.push([name, await original.read(name)]);
    }
  }
  // A repeated member: the last one in the central directory wins, as in Inspect's reader.
  members.push(["samples/1_epoch_1.json", await original.read("samples/1_epoch_2.json")]);
  const log = await readEvalLog(storedZip(members), { name: "crashed.eval" });
  assert.equal(log.header.status, "started");
  assert.ok(log.header.eval.task);
  const samples = await collect(log) as { id: number; epoch: number }[];
  assert.equal(samples.length, 4);
  // samples/1_epoch_1.json now holds epoch 2's sample: the later member won.
  assert.equal(samples.filter((s) => s.id === 1 && s.epoch === 2).length, 2);
});

test("inspect-read: zstd support is named by runtime when missing", async () => {
  assert.ok(nodeZstd(), "Deno and Bun have node:zlib zstd");
  // Inspect 0.3.285 writes every member with zstd (method 93); read it without a decompressor.
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, "formats.eval")));
  const zip = await import("../../../src/integrations/inspect/zip.ts").then((m) =>
    m.openZip(bytesSource(bytes))
  );
  assert.deepEqual(new Set([...zip.entries.values()].map((e) => e.method)), new Set([93]));
  await assert.rejects(
    readEvalLog(bytes, { name: "zstd.eval" }),
    /zstd.*options\.zstd.*zstd\.eval/s,
  );
});

test("inspect-read: a .json that is not an Inspect log is refused clearly", () => {
  assert.throws(() => readJsonLog('{"hello": 1}', "other.json"), /not an Inspect log/);
  assert.throws(() => readJsonLog("{oops", "broken.json"), /not valid JSON/);
});
