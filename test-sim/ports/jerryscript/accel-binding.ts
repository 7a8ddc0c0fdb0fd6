/**
 * The JerryScript binding of the native kernel (ports/jerryscript/binding/accel.c) run for real:
 * tools/script-run with --accel defines firstlight_native with the kernel's functions, and a static
 * snapshot of CHECK_SCRIPT calls each on cases made here with @noble (sizes around every block
 * boundary, in-place outputs, a forged tag) and on bad arguments, which must throw a TypeError with
 * code NATIVE_BAD_ARGUMENT and change nothing. Shared by accel-binding.test.ts (release build) and
 * sanitizers.soak.ts (ASan + UBSan build).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { hkdf as nobleHkdf } from "@noble/hashes/hkdf.js";
import { elligator2 as tsElligator2 } from "../../../firmware/protocol/cpace/elligator2.ts";
import { buildSnapshotSet, type JerryPort } from "../../../ports/jerryscript/host/build.node.ts";

/** [function, arguments (hex strings become Uint8Arrays, numbers stay, arrays of hex become arrays of Uint8Array), want]. */
type Arg = string | number | string[];
export type BindingCase = [string, Arg[], { ret?: string | null; args?: Record<number, string> }];

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rnd = (n: number) => hex(randomBytes(n));
const un = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));

function drbgUpdate(K: Uint8Array, V: Uint8Array, data: Uint8Array): void {
  for (let r = 0; r < (data.length ? 2 : 1); r++) {
    K.set(nobleHmac(nobleSha256, K, Uint8Array.from([...V, r, ...data])));
    V.set(nobleHmac(nobleSha256, K, V));
  }
}

export function bindingCases(): BindingCase[] {
  const c: BindingCase[] = [];
  for (let i = 0; i < 3; i++) {
    const k = rnd(32), u = rnd(32);
    c.push(["x25519", [rnd(32), k, u], { args: { 0: hex(nobleX25519.scalarMult(un(k), un(u))) } }]);
    const r = rnd(32);
    c.push(["elligator2", [rnd(32), r], { args: { 0: hex(tsElligator2(un(r))) } }]);
  }
  for (const n of [0, 1, 55, 56, 63, 64, 111, 112, 127, 128, 200, 1000, 5000]) {
    const m = rnd(n);
    c.push(["sha256", [m], { ret: hex(nobleSha256(un(m))) }]);
    c.push(["sha512", [m], { ret: hex(nobleSha512(un(m))) }]);
  }
  for (const [kl, ml] of [[0, 0], [20, 8], [32, 100], [64, 64], [65, 3], [131, 200]]) {
    const k = rnd(kl), m = rnd(ml);
    c.push(["hmacSha256", [k, m], { ret: hex(nobleHmac(nobleSha256, un(k), un(m))) }]);
  }
  for (const [sl, il, fl, n] of [[0, 22, 0, 42], [32, 32, 0, 64], [32, 32, 0, 96], [13, 22, 10, 42], [80, 80, 80, 82], [32, 0, 5, 0], [1, 1, 1, 8160]]) {
    const s = rnd(sl), i = rnd(il), f = rnd(fl);
    c.push(["hkdfSha256", [i, s, f, n], { ret: n ? hex(nobleHkdf(nobleSha256, un(i), un(s), un(f), n)) : "" }]);
  }
  for (const [al, pl] of [[0, 0], [0, 1], [3, 10], [12, 64], [0, 65], [100, 300], [7, 1500]]) {
    const key = rnd(32), nonce = rnd(12), aad = rnd(al), pt = rnd(pl);
    const sealed = chacha20poly1305(un(key), un(nonce), un(aad)).encrypt(un(pt));
    c.push(["aeadSeal", [key, nonce, pt, aad], { ret: hex(sealed) }]);
    c.push(["aeadOpen", [key, nonce, hex(sealed), aad], { ret: pt }]);
    const forged = Uint8Array.from(sealed);
    forged[forged.length - 1 - (pl % 16)] ^= 0x40;
    c.push(["aeadOpen", [key, nonce, hex(forged), aad], { ret: null }]);
  }
  for (const lens of [[], [0], [32, 16], [32, 16, 0], [48, 16, 32], [10, 0, 7, 300]]) {
    const K = rnd(32), V = rnd(32), parts = lens.map(rnd);
    const k = un(K), v = un(V);
    drbgUpdate(k, v, un(parts.join("")));
    c.push(["drbgUpdate", [K, V, parts], { args: { 0: hex(k), 1: hex(v) } }]);
  }
  for (const [n, al] of [[1, 0], [32, 0], [33, 5], [128, 0], [1024, 32]]) {
    const K = rnd(32), V = rnd(32), add = rnd(al);
    const k = un(K), v = un(V);
    if (al) drbgUpdate(k, v, un(add));
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) {
      v.set(nobleHmac(nobleSha256, k, v));
      out.set(v.subarray(0, Math.min(32, n - o)), o);
    }
    drbgUpdate(k, v, un(add));
    c.push(["drbgGenerate", [K, V, n, add], { ret: hex(out), args: { 0: hex(k), 1: hex(v) } }]);
  }
  return c;
}

/** Calls that must throw NATIVE_BAD_ARGUMENT: [function, arguments as CHECK_SCRIPT builds them]. */
export const BAD_CALLS: [string, string][] = [
  ["x25519", "[b(32), b(32)]"], ["x25519", "[b(32), b(31), b(32)]"], ["x25519", "[b(32), new Uint16Array(16), b(32)]"],
  ["elligator2", "[b(32), b(31)]"], ["elligator2", "[b(33), b(32)]"],
  ["sha256", "[]"], ["sha256", "['abc']"], ["sha512", "[[1, 2, 3]]"],
  ["hmacSha256", "[b(32)]"], ["hmacSha256", "[b(32), 5]"],
  ["hkdfSha256", "[b(32), b(32), b(0), 8161]"], ["hkdfSha256", "[b(32), b(32), b(0), -1]"], ["hkdfSha256", "[b(32), b(32), b(0), 1.5]"], ["hkdfSha256", "[b(32), b(65536), b(0), 32]"],
  ["aeadSeal", "[b(31), b(12), b(10), b(0)]"], ["aeadSeal", "[b(32), b(8), b(10), b(0)]"], ["aeadSeal", "[b(32), b(12), b(10)]"],
  ["aeadOpen", "[b(32), b(12), b(15), b(0)]"], ["aeadOpen", "[b(32), b(12), null, b(0)]"], ["aeadSeal", "[b(32), b(12), b(65000), b(600)]"], ["hmacSha256", "[b(65000), b(600)]"],
  ["drbgUpdate", "[b(32), b(32), [b(1), b(1), b(1), b(1), b(1)]]"], ["drbgUpdate", "[b(32), b(32), b(3)]"], ["drbgUpdate", "[b(32), b(31), []]"], ["drbgUpdate", "[b(32), b(32), [b(1), 'x']]"],
  ["drbgGenerate", "[b(32), b(32), 70000, b(0)]"], ["drbgGenerate", "[b(32), b(32), 10]"], ["drbgGenerate", "[b(31), b(32), 10, b(0)]"],
];

/**
 * ES5 run on the port: CASES and BAD (JSON globals) against firstlight_native; prints one line per
 * case ("ok" or what differed), then "bad ok" or what did not throw as it should, then "done".
 */
const CHECK_SCRIPT = `
function un(h) { var b = new Uint8Array(h.length / 2); for (var i = 0; i < b.length; i++) b[i] = parseInt(h.substr(2 * i, 2), 16); return b; }
function hx(b) { var s = ""; for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16); return s; }
function b(n) { var x = new Uint8Array(n); for (var i = 0; i < n; i++) x[i] = i & 255; return x; }
function arg(a) { if (typeof a === "number") return a; if (typeof a === "string") return un(a); var r = []; for (var i = 0; i < a.length; i++) r.push(un(a[i])); return r; }
var N = firstlight_native, c, i, j;
for (i = 0; i < CASES.length; i++) {
  c = CASES[i];
  var args = [];
  for (j = 0; j < c[1].length; j++) args.push(arg(c[1][j]));
  var r = N[c[0]].apply(null, args), line = "ok";
  if ("ret" in c[2]) {
    var got = r === null ? null : hx(r);
    if (got !== c[2].ret) line = "ret " + got;
  }
  for (var k in c[2].args) if (hx(args[k]) !== c[2].args[k]) line = "arg " + k + " " + hx(args[k]);
  print(i + " " + c[0] + " " + line);
}
var badLine = "bad ok";
for (i = 0; i < BAD.length; i++) {
  var before = BAD[i][1] + "", thrown = null;
  try { N[BAD[i][0]].apply(null, eval(BAD[i][1])); } catch (e) { thrown = e; }
  if (!thrown || thrown.code !== "NATIVE_BAD_ARGUMENT" || !(thrown instanceof TypeError) || thrown.message.indexOf(BAD[i][0] + "(") !== 0)
    badLine = "bad " + BAD[i][0] + " " + before + " -> " + (thrown ? thrown.name + " " + thrown.code + " " + thrown.message : "no error");
}
print(badLine);
print("done");
`;

/** Runs the cases on the port; returns the lines that are not "ok" (empty when all pass) and the case count. */
export function runBindingCases(port: JerryPort, env: NodeJS.ProcessEnv = {}): { failures: string[]; count: number } {
  const cases = bindingCases();
  const set = buildSnapshotSet(port, "accel-binding", [{ name: "check", source: CHECK_SCRIPT }]);
  const dir = mkdtempSync(join(tmpdir(), "fl-accel-binding-"));
  try {
    writeFileSync(join(dir, "cases.json"), JSON.stringify(cases));
    writeFileSync(join(dir, "bad.json"), JSON.stringify(BAD_CALLS));
    const r = spawnSync(port.scriptRun, ["--heap-kb", "512", "--literals", set.literals, "--accel", "--json", "CASES", join(dir, "cases.json"), "--json", "BAD", join(dir, "bad.json"), "--snapshot", set.snapshots[0]], { encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 16 << 20 });
    const lines = r.stdout.split("\n").filter((l) => l && !l.startsWith("heap "));
    const failures = lines.filter((l) => !/ ok$/.test(l) && l !== "done");
    if (r.status !== 0 || lines[lines.length - 1] !== "done") failures.push(`script-run exit ${r.status}: ${r.stdout.slice(-400)} ${r.stderr.slice(-2000)}`);
    if (lines.length !== cases.length + 2) failures.push(`${lines.length} lines for ${cases.length} cases`);
    return { failures, count: cases.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
