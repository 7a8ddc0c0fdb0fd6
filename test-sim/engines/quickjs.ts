/**
 * QuickJS (compiled to WebAssembly, from npm) with a memory limit: the stand-in for a small heap.
 * `print` is the only host function a script gets.
 */
import { newQuickJSWASMModuleFromVariant, type QuickJSWASMModule, type QuickJSContext, type QuickJSRuntime } from "quickjs-emscripten-core";
import variant from "@jitl/quickjs-wasmfile-release-sync";

let modulePromise: Promise<QuickJSWASMModule> | undefined;
export function quickjs(): Promise<QuickJSWASMModule> {
  modulePromise ??= newQuickJSWASMModuleFromVariant(variant);
  return modulePromise;
}

export interface QuickJsOptions {
  /** Heap limit in bytes (QuickJS counts every allocation of the runtime). */
  memoryLimit: number;
  /** Stack limit in bytes; 0 leaves QuickJS's default. */
  stackLimit?: number;
}

/** A QuickJS runtime and context with `print` wired to `lines`; evaluate code into it step by step. */
export class QuickJsSession {
  readonly lines: string[] = [];
  private constructor(private rt: QuickJSRuntime, readonly ctx: QuickJSContext) {}

  static async open(opts: QuickJsOptions): Promise<QuickJsSession> {
    const rt = (await quickjs()).newRuntime();
    rt.setMemoryLimit(opts.memoryLimit);
    if (opts.stackLimit) rt.setMaxStackSize(opts.stackLimit);
    const s = new QuickJsSession(rt, rt.newContext());
    const print = s.ctx.newFunction("print", (...args) => {
      s.lines.push(args.map((a) => s.ctx.getString(a)).join(" "));
    });
    s.ctx.setProp(s.ctx.global, "print", print);
    print.dispose();
    return s;
  }

  /** Evaluates a script; returns its completion value as a string, or throws with the engine's error. */
  eval(code: string, filename = "script.js"): string {
    const r = this.ctx.evalCode(code, filename);
    if (r.error) {
      const err = this.ctx.dump(r.error);
      r.error.dispose();
      throw new Error(`QuickJS: ${typeof err === "object" ? JSON.stringify(err) : String(err)}`);
    }
    const v = this.ctx.dump(r.value);
    r.value.dispose();
    return typeof v === "string" ? v : JSON.stringify(v);
  }

  /** Bytes currently allocated by the runtime. */
  memoryUsed(): number {
    const h = this.ctx.evalCode("0");
    if (!h.error) h.value.dispose();
    const usage = this.rt.computeMemoryUsage();
    const obj = this.ctx.dump(usage) as { memory_used_size?: number };
    usage.dispose();
    return obj.memory_used_size ?? -1;
  }

  close(): void {
    this.ctx.dispose();
    this.rt.dispose();
  }
}

/** Evaluates whole scripts in a fresh runtime and returns what they printed (and the error, if any). */
export async function runQuickJs(codes: string[], opts: QuickJsOptions): Promise<{ stdout: string; error?: string; ms: number }> {
  const t0 = Date.now();
  const s = await QuickJsSession.open(opts);
  let error: string | undefined;
  try {
    for (const c of codes) s.eval(c);
  } catch (e) {
    error = (e as Error).message;
  }
  const stdout = s.lines.join("\n") + (s.lines.length ? "\n" : "");
  try { s.close(); } catch { /* a runtime that hit its memory limit may refuse to free cleanly */ }
  return { stdout, error, ms: Date.now() - t0 };
}
