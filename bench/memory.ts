/**
 * The QuickJS memory floor of the crypto image: how much heap the image and a small onboarding
 * workload need.
 *
 * Two measures, because the QuickJS we run cannot give one honest number:
 *  - The enforced floor: the smallest `setMemoryLimit` (set after the context exists, before the
 *    image loads) with which the image loads and the workload completes. The wasm build of QuickJS
 *    has no malloc_usable_size, so its allocator accounting adds 8 bytes per live block (the
 *    malloc overhead) and nothing for the block itself; a limit L refuses a request of s bytes
 *    once 8·(live blocks) + s > L. The enforced floor therefore counts allocations, not bytes:
 *    a "64 KB" limit admits well over a megabyte of small objects (see `limitAccounting`).
 *  - Heap bytes: JS_ComputeMemoryUsage's estimate (objects, shapes, atoms, bytecode, line tables,
 *    typed-array storage) of a fresh context, of what the loaded image adds, and of the peak the
 *    workload reaches above the loaded image, sampled at every QuickJS interrupt poll and after
 *    each step (so a short-lived allocation between two samples can be missed; ours allocate only
 *    outputs of at most a few hundred bytes).
 * Allocation in QuickJS is deterministic: the same inputs give the same figures on every run.
 */
import { quickjs } from "../test-sim/engines/quickjs.ts";
import type { QuickJSContext, QuickJSRuntime } from "quickjs-emscripten-core";

/**
 * X25519 key pair + shared secret, and, when the image has them, SHA-256, HKDF-SHA-256 and an AEAD
 * seal + open of a 256-byte message. ES5; its completion value is "ok" or the reason it is not.
 */
export const MEMORY_WORKLOAD = `(function () {
  var c = firstlight.crypto, i, a = new Uint8Array(32), b = new Uint8Array(32), m = new Uint8Array(256);
  for (i = 0; i < 32; i++) { a[i] = i + 1; b[i] = 200 - i; }
  for (i = 0; i < 256; i++) m[i] = i;
  var ka = c.x25519Keypair(a), kb = c.x25519Keypair(b);
  var s = c.x25519Shared(ka.secretKey, kb.publicKey);
  if (!c.ctEqual(s, c.x25519Shared(kb.secretKey, ka.publicKey))) return "x25519 sides disagree";
  var key = s;
  if (c.sha256) key = c.sha256(s);
  if (c.hkdfSha256) key = c.hkdfSha256(s, m.subarray(0, 16), m.subarray(16, 32), 32);
  if (c.aeadSeal && c.aeadOpen) {
    var n = new Uint8Array(12), sealed = c.aeadSeal(key, n, m, a), opened = c.aeadOpen(key, n, sealed, a);
    if (!opened || !c.ctEqual(opened, m)) return "aead round trip failed";
  }
  return "ok";
})()`;

/** JS_ComputeMemoryUsage's byte estimate of everything the runtime holds. */
function heapBytes(rt: QuickJSRuntime, ctx: QuickJSContext): number {
  const u = rt.computeMemoryUsage();
  const o = ctx.dump(u) as { memory_used_size: number };
  u.dispose();
  return o.memory_used_size;
}

/** Evaluates code; returns its completion value as a string, or "error: …". Never throws. */
function evalString(ctx: QuickJSContext, code: string, file: string): string {
  try {
    const r = ctx.evalCode(code, file);
    if (r.error) {
      let e: unknown = "?";
      try { e = ctx.dump(r.error); } catch { /* dumping may itself need memory */ }
      r.error.dispose();
      return "error: " + JSON.stringify(e);
    }
    const v = ctx.dump(r.value);
    r.value.dispose();
    return String(v);
  } catch (e) {
    return "error: " + (e as Error).message;
  }
}

/** Loads `image` and runs `workload` with the runtime capped at `limit` (the enforced measure). */
export async function passesAtLimit(image: string, limit: number, workload = MEMORY_WORKLOAD): Promise<{ ok: boolean; error?: string }> {
  const rt = (await quickjs()).newRuntime();
  const ctx = rt.newContext();
  rt.setMemoryLimit(limit);
  let v = evalString(ctx, image, "firstlight-crypto.js");
  if (!v.startsWith("error")) v = evalString(ctx, workload, "workload.js");
  try {
    rt.setMemoryLimit(-1);
    ctx.dispose();
    rt.dispose();
  } catch { /* a runtime that ran out of memory may not free cleanly */ }
  return v === "ok" ? { ok: true } : { ok: false, error: v };
}

export interface HeapProfile {
  /** Bytes of a fresh context (QuickJS's built-ins), before any firstlight code: not ours. */
  context: number;
  /** Bytes the loaded image adds and keeps (bytecode, line tables, functions, atoms, module-level tables). */
  image: number;
  /** Peak bytes above the loaded image while the workload runs. */
  working: number;
  /** Interrupt polls sampled during the workload. */
  samples: number;
}

/** Heap-byte estimates of the image and the workload, with no limit. */
export async function heapProfile(image: string, workload = MEMORY_WORKLOAD): Promise<HeapProfile> {
  const rt = (await quickjs()).newRuntime();
  const ctx = rt.newContext();
  try {
    const context = heapBytes(rt, ctx);
    const v = evalString(ctx, image, "firstlight-crypto.js");
    if (v.startsWith("error")) throw new Error("image: " + v);
    const loaded = heapBytes(rt, ctx);
    let peak = loaded, samples = 0;
    rt.setInterruptHandler(() => {
      samples++;
      peak = Math.max(peak, heapBytes(rt, ctx));
      return false;
    });
    const w = evalString(ctx, workload, "workload.js");
    rt.removeInterruptHandler();
    if (w !== "ok") throw new Error("workload: " + w);
    peak = Math.max(peak, heapBytes(rt, ctx));
    return { context, image: loaded - context, working: peak - loaded, samples };
  } finally {
    ctx.dispose();
    rt.dispose();
  }
}

/** The smallest n in [lo, hi] (to `step`) with pass(n), assuming pass is monotone; hi must pass. */
export async function bisect(pass: (n: number) => Promise<boolean>, lo: number, hi: number, step = 256): Promise<number> {
  if (!(await pass(hi))) throw new Error(`does not pass even at ${hi}`);
  while (hi - lo > step) {
    const mid = Math.floor((lo + hi) / 2);
    if (await pass(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The enforced floor: the smallest QuickJS memory limit (to 256 B) at which image + workload pass. */
export async function enforcedFloor(image: string, workload = MEMORY_WORKLOAD): Promise<number> {
  return bisect(async (n) => (await passesAtLimit(image, n, workload)).ok, 0, 16 << 20);
}

/**
 * What a limit admits: the heap bytes (estimate) a loop of 1 KB typed arrays reaches under a
 * 64 KB QuickJS limit before it fails. Shows the limit counts blocks, not bytes.
 */
export async function limitAccounting(limit = 65536): Promise<{ limit: number; heapReached: number }> {
  const rt = (await quickjs()).newRuntime();
  const ctx = rt.newContext();
  evalString(ctx, "var keep = [];", "keep.js");
  rt.setMemoryLimit(limit);
  evalString(ctx, "for (var i = 0; i < 100000; i++) keep.push(new Uint8Array(1024)); 'done'", "fill.js");
  rt.setMemoryLimit(-1);
  const heapReached = heapBytes(rt, ctx);
  ctx.dispose();
  rt.dispose();
  return { limit, heapReached };
}
