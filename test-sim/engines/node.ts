/** Runs built images on Node inside a fresh `vm` context: the same script text as on the device engines. */
import { createContext, runInContext } from "node:vm";

export function runNodeScripts(codes: string[]): { stdout: string; context: Record<string, any> } {
  const lines: string[] = [];
  const sandbox: Record<string, any> = { print: (...a: unknown[]) => lines.push(a.map(String).join(" ")) };
  const context = createContext(sandbox);
  for (const c of codes) runInContext(c, context);
  return { stdout: lines.join("\n") + (lines.length ? "\n" : ""), context: sandbox };
}

/** Loads an image and returns its `firstlight` global. */
export function loadImage(code: string): any {
  return runNodeScripts([code]).context.firstlight;
}
