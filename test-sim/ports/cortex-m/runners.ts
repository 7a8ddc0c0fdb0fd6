/**
 * The two ways the tests run the kernel, with one line protocol (vector-runner.c): the host build
 * (gcc) and the Cortex-M blob under Unicorn (unicorn-runner.py). Also the X25519 vectors as lines.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, VECTORS } from "../../../build/paths.ts";

export const UNICORN_RUNNER = join(ROOT, "test-sim/ports/cortex-m/unicorn-runner.py");

let python: string | null = null;
/** A python3 that imports unicorn (Debian's python3-unicorn lives in /usr/bin/python3's path). */
export function unicornPython(): string {
  if (python) return python;
  const candidates = [process.env.FIRSTLIGHT_PYTHON, "/usr/bin/python3", "python3"].filter((x): x is string => !!x);
  for (const c of candidates) {
    try {
      execFileSync(c, ["-c", "import unicorn"], { stdio: "ignore" });
      return (python = c);
    } catch {
      // next
    }
  }
  throw new Error("no python3 with the unicorn module: install the Debian package python3-unicorn (or set FIRSTLIGHT_PYTHON)");
}

/** Feeds `lines` to a runner and returns its answer lines (one per input line). */
export function runLines(cmd: string, args: string[], lines: string[]): string[] {
  const r = spawnSync(cmd, args, { input: lines.join("\n") + "\n", encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const out = r.stdout.split("\n").filter((l) => l.length > 0);
  if (out.length !== lines.length) throw new Error(`${lines.length} lines in, ${out.length} out: ${r.stderr}`);
  return out;
}

export interface X25519Case { name: string; line: string; want: string }

/** RFC 7748 §5.2 and §6.1, and all 518 Wycheproof x25519_test.json tests, as runner lines. */
export function x25519Cases(): X25519Case[] {
  const rfc = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc7748.json"), "utf8"));
  const cases: X25519Case[] = [];
  rfc.x25519.forEach((v: any, i: number) => cases.push({ name: `RFC 7748 §5.2 #${i + 1}`, line: `x ${v.scalar} ${v.uCoordinate}`, want: v.output }));
  const dh = rfc.diffieHellman;
  cases.push({ name: "RFC 7748 §6.1 Alice public", line: `b ${dh.alicePrivate}`, want: dh.alicePublic });
  cases.push({ name: "RFC 7748 §6.1 Bob public", line: `b ${dh.bobPrivate}`, want: dh.bobPublic });
  cases.push({ name: "RFC 7748 §6.1 Alice shared", line: `x ${dh.alicePrivate} ${dh.bobPublic}`, want: dh.sharedSecret });
  cases.push({ name: "RFC 7748 §6.1 Bob shared", line: `x ${dh.bobPrivate} ${dh.alicePublic}`, want: dh.sharedSecret });
  const wp = JSON.parse(readFileSync(join(VECTORS, "wycheproof/x25519_test.json"), "utf8"));
  for (const g of wp.testGroups)
    for (const t of g.tests) cases.push({ name: `Wycheproof tcId ${t.tcId} (${t.flags.join(",")})`, line: `x ${t.private} ${t.public}`, want: t.shared });
  return cases;
}

/**
 * Elligator 2 cases: CPace's generator vector (draft-irtf-cfrg-cpace-21, the hash of the generator
 * string → g), edge inputs, and seeded random inputs, each against the firmware's TypeScript map
 * (the oracle; itself tested against the draft's vectors).
 */
export async function elligatorCases(randomCount: number): Promise<X25519Case[]> {
  const { elligator2 } = await import("../../../firmware/protocol/cpace/elligator2.ts");
  const gen = JSON.parse(readFileSync(join(VECTORS, "cpace/draft21_embedded_X25519_calculate_generator.json"), "utf8"));
  const cases: X25519Case[] = [{ name: "CPace draft-21 generator", line: `e ${gen["hash generator string"].toLowerCase()}`, want: gen["generator g"].toLowerCase() }];
  const inputs: Buffer[] = [Buffer.alloc(32), Buffer.alloc(32, 0xff), Buffer.from("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "hex"), Buffer.from("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "hex"), Buffer.from("01".padEnd(64, "0"), "hex")];
  let x = 0x9e3779b9;
  for (let i = 0; i < randomCount; i++) {
    const b = Buffer.alloc(32);
    for (let j = 0; j < 32; j++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      b[j] = x & 255;
    }
    inputs.push(b);
  }
  for (const b of inputs) cases.push({ name: `elligator2(${b.toString("hex")})`, line: `e ${b.toString("hex")}`, want: Buffer.from(elligator2(new Uint8Array(b))).toString("hex") });
  return cases;
}

/** RFC 7748 §5.2's iterated results up to `max` iterations. */
export function iteratedCases(max: number): { n: number; want: string }[] {
  const rfc = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc7748.json"), "utf8"));
  return rfc.iterated.results.filter((r: any) => r.iterations <= max).map((r: any) => ({ n: r.iterations, want: r.k }));
}

/** Every answer equals its expected value; returns the names of the ones that do not. */
export function mismatches(cases: X25519Case[], answers: string[]): string[] {
  const bad: string[] = [];
  cases.forEach((c, i) => {
    const got = answers[i].split(" ")[0];
    if (got !== c.want) bad.push(`${c.name}: got ${answers[i]}, want ${c.want}`);
  });
  return bad;
}

const hexOrDash = (h: string): string => (h.length ? h : "-");

/**
 * AEAD_CHACHA20_POLY1305 cases as runner lines ("s" seal, "o" open): RFC 8439 §2.8.2 and A.5, each
 * sealed and opened and opened with a flipped tag bit, and every Wycheproof
 * chacha20_poly1305_test.json test with a 96-bit nonce (the only size RFC 8439 and the kernel
 * take): valid ones sealed and opened, invalid ones opened, which must fail with text and tag zeroed.
 */
export function aeadCases(): X25519Case[] {
  const rfc = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc8439.json"), "utf8"));
  const cases: X25519Case[] = [];
  const add = (name: string, key: string, nonce: string, aad: string, msg: string, ct: string, tag: string, valid: boolean) => {
    if (valid) cases.push({ name: name + " seal", line: `s ${key} ${nonce} ${hexOrDash(aad)} ${hexOrDash(msg)}`, want: ct + tag || "-" });
    cases.push({ name: name + " open", line: `o ${key} ${nonce} ${hexOrDash(aad)} ${ct + tag}`, want: valid ? hexOrDash(msg) : "fail" });
  };
  rfc.aead.forEach((v: any, i: number) => {
    add(`RFC 8439 AEAD #${i + 1}`, v.key, v.nonce, v.aad, v.plaintext, v.ciphertext, v.tag, true);
    const bad = (parseInt(v.tag.slice(-2), 16) ^ 0x80).toString(16).padStart(2, "0");
    add(`RFC 8439 AEAD #${i + 1}, tag bit flipped`, v.key, v.nonce, v.aad, v.plaintext, v.ciphertext, v.tag.slice(0, -2) + bad, false);
  });
  const wp = JSON.parse(readFileSync(join(VECTORS, "wycheproof/chacha20_poly1305_test.json"), "utf8"));
  for (const g of wp.testGroups) {
    if (g.ivSize !== 96) continue;
    for (const t of g.tests) add(`Wycheproof tcId ${t.tcId} (${t.result}: ${t.comment})`, t.key, t.iv, t.aad, t.msg, t.ct, t.tag, t.result === "valid");
  }
  return cases;
}

/**
 * HMAC-SHA-256, HKDF-SHA-256 and HMAC_DRBG cases as runner lines ("h", "k", "d"): RFC 4231's
 * HMAC-SHA-256 results (test case 5 compared on its 128 truncated bits), RFC 5869's three SHA-256
 * cases, every Wycheproof hmac_sha256_test.json test (a valid tag equals the output's prefix of
 * its length, an invalid one does not) and every valid hkdf_sha256_test.json test (the invalid ones
 * ask for more than 255·32 bytes, which the kernel refuses: see the host test), and the 240 NIST CAVP
 * HMAC_DRBG SHA-256 pr_false vectors. A case's `want` may be a prefix (`prefix`) or a must-differ
 * (`differ`).
 */
export interface KdfCase extends X25519Case { prefix?: boolean; differ?: boolean }

export async function kdfCases(): Promise<KdfCase[]> {
  const cases: KdfCase[] = [];
  const rfc4231 = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc4231.json"), "utf8"));
  for (const t of rfc4231.tests) cases.push({ name: t.source, line: `h ${hexOrDash(t.key)} ${hexOrDash(t.data)}`, want: t.hmacSha256, prefix: !!t.truncatedToBits });
  const rfc5869 = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc5869.json"), "utf8"));
  for (const t of rfc5869.tests) {
    if (t.hash !== "SHA-256") continue;
    cases.push({ name: t.source, line: `k ${hexOrDash(t.salt)} ${hexOrDash(t.ikm)} ${hexOrDash(t.info)} ${t.length}`, want: t.okm });
    cases.push({ name: t.source + " (Extract as HMAC)", line: `h ${hexOrDash(t.salt)} ${hexOrDash(t.ikm)}`, want: t.salt ? t.prk : "" });
  }
  const hm = JSON.parse(readFileSync(join(VECTORS, "wycheproof/hmac_sha256_test.json"), "utf8"));
  for (const g of hm.testGroups)
    for (const t of g.tests) cases.push({ name: `Wycheproof HMAC tcId ${t.tcId} (${t.result}, ${g.tagSize} bits)`, line: `h ${hexOrDash(t.key)} ${hexOrDash(t.msg)}`, want: t.tag, prefix: true, differ: t.result !== "valid" });
  const hk = JSON.parse(readFileSync(join(VECTORS, "wycheproof/hkdf_sha256_test.json"), "utf8"));
  for (const g of hk.testGroups)
    for (const t of g.tests) if (t.result === "valid") cases.push({ name: `Wycheproof HKDF tcId ${t.tcId}`, line: `k ${hexOrDash(t.salt)} ${hexOrDash(t.ikm)} ${hexOrDash(t.info)} ${t.size}`, want: t.okm || "-" });
  const { prFalse } = await import("../../selftest/loaders/hmac-drbg.ts");
  prFalse().forEach((v, i) => cases.push({ name: `CAVP HMAC_DRBG pr_false #${i}`, line: `d ${v.slice(0, 7).map(hexOrDash).join(" ")} ${v[7].length / 2}`, want: v[7] }));
  return cases.filter((c) => c.want !== "");
}

/** Like mismatches, for KdfCase's prefix and must-differ cases. */
export function kdfMismatches(cases: KdfCase[], answers: string[]): string[] {
  const bad: string[] = [];
  cases.forEach((c, i) => {
    const got = answers[i].split(" ")[0];
    const same = c.prefix ? got.startsWith(c.want) : got === c.want;
    if (same === !!c.differ) bad.push(`${c.name}: got ${answers[i]}, want ${c.differ ? "anything but " : ""}${c.want}`);
  });
  return bad;
}

/**
 * SHA-256 and SHA-512 one-shot cases as runner lines ("2", "5"): every NIST CAVP ShortMsg and
 * LongMsg vector (byte-oriented; the empty message as "-").
 */
export async function shaCases(): Promise<X25519Case[]> {
  const { msgVectors } = await import("../../selftest/loaders/nist-sha.ts");
  const cases: X25519Case[] = [];
  for (const [cmd, alg] of [["2", "SHA256"], ["5", "SHA512"]] as const)
    for (const kind of ["ShortMsg", "LongMsg"])
      msgVectors(`${alg}${kind}.rsp`).forEach(([msg, md], i) => cases.push({ name: `CAVP ${alg}${kind} #${i} (${msg.length / 2} B)`, line: `${cmd} ${hexOrDash(msg)}`, want: md }));
  return cases;
}
