/** Runs scripts on Duktape (`duk`, Debian package `duktape`): ES5.1 + typed arrays, no file access. */
import { spawn } from "node:child_process";
import { toolAvailable } from "./tools.ts";

export function dukAvailable(): boolean {
  return toolAvailable("duk");
}

export interface ScriptResult { stdout: string; stderr: string; code: number | null; ms: number }

/** Evaluates the files in order in one Duktape heap. */
export function runDuk(files: string[], timeoutMs = 600_000): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn("duk", files, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, ms: Date.now() - t0 });
    });
  });
}
