/**
 * One rule for tests that need a program from Debian (`duk`, package duktape; `chromium` for the web
 * commissioner's browser test): the test is
 * skipped with "install Debian package X" when the program is missing, and in CI (the CI
 * environment variable is set, as .ci/run runs) a missing program fails the file instead, because
 * .ci/run installs every package the tests need.
 *
 *   const engines = availableEngines(ENGINES);          // a skipped test per missing engine
 *   test("…", { skip: missingTool("duk") }, …);          // or per test
 */
import { spawnSync } from "node:child_process";
import { test } from "node:test";

export interface Tool {
  /** The command run. */
  command: string;
  /** Arguments that make it print `expect` (or a line it matches) when it works. */
  probe: string[];
  expect: string | RegExp;
  /** The Debian package that installs it (.ci/run's apt-get install line). */
  debianPackage: string;
}

export const TOOLS: Record<string, Tool> = {
  duk: { command: "duk", probe: ["-e", "print(1)"], expect: "1", debianPackage: "duktape" },
  chromium: { command: "chromium", probe: ["--version"], expect: /^Chromium \d+/, debianPackage: "chromium" },
  "lua5.1": { command: "lua5.1", probe: ["-e", "require('bit') print(1)"], expect: "1", debianPackage: "lua5.1 lua-bitop" },
  "lua5.3": { command: "lua5.3", probe: ["-e", "print(1)"], expect: "1", debianPackage: "lua5.3" },
};

const seen: Record<string, boolean> = {};

/** Whether the tool runs here (probed once per process). */
export function toolAvailable(name: keyof typeof TOOLS): boolean {
  if (!(name in seen)) {
    const t = TOOLS[name];
    try {
      const out = spawnSync(t.command, t.probe, { encoding: "utf8", timeout: 10_000 }).stdout?.trim() ?? "";
      seen[name] = typeof t.expect === "string" ? out === t.expect : t.expect.test(out);
    } catch {
      seen[name] = false;
    }
  }
  return seen[name];
}

/** The sentence every test and command prints for a missing tool. */
export function installHint(name: keyof typeof TOOLS): string {
  const t = TOOLS[name];
  return `${t.command} is not installed: apt-get install ${t.debianPackage} (Debian package ${t.debianPackage}; .ci/run installs it)`;
}

/** For node:test's `skip`: false when the tool runs, else the install hint. Throws in CI. */
export function missingTool(name: keyof typeof TOOLS): string | false {
  if (toolAvailable(name)) return false;
  if (process.env.CI) throw new Error(`${installHint(name)} — CI must install it`);
  return installHint(name);
}

/** The engines that run here; for each engine whose tool is missing, one skipped test says what to install. */
export function availableEngines<E extends string>(engines: readonly E[]): E[] {
  return engines.filter((e) => {
    if (!(e in TOOLS)) return true;
    const missing = missingTool(e as keyof typeof TOOLS);
    if (missing) test(`${e}: every test on this engine`, { skip: missing }, () => {});
    return !missing;
  });
}
