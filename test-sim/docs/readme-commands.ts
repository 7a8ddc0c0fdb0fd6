/**
 * The commands README.md shows, by one explicit rule:
 *
 *   - every non-empty line of a ```sh code block (a trailing `# comment` is not part of it);
 *   - the first cell of each row of the table under "## Commands", when it is one `backticked` command.
 *
 * A command marked as needing a real board — `# needs hardware` at the end of its sh line, or
 * "needs hardware" in its table row — is returned with `hardware: true` (the test skips only those).
 * Duplicates keep their first place.
 */
export interface ReadmeCommand {
  command: string;
  /** Where it was found: "sh block, line N" or "Commands table, line N". */
  source: string;
  hardware: boolean;
}

export function readmeCommands(md: string): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  const add = (command: string, source: string, hardware: boolean) => {
    if (command && !out.some((c) => c.command === command)) out.push({ command, source, hardware });
  };
  const lines = md.split("\n");
  let fence: string | null = null, section = "";
  lines.forEach((line, i) => {
    const open = /^```(\S*)\s*$/.exec(line);
    if (fence === null && open) {
      fence = open[1];
      return;
    }
    if (fence !== null && /^```\s*$/.test(line)) {
      fence = null;
      return;
    }
    if (fence === "sh") {
      const hardware = /#\s*needs hardware\b/.test(line);
      add(line.replace(/\s+#.*$/, "").replace(/^#.*$/, "").trim(), `sh block, line ${i + 1}`, hardware);
      return;
    }
    if (fence !== null) return;
    const h = /^##\s+(.+)$/.exec(line);
    if (h) section = h[1].trim();
    if (section === "Commands") {
      const row = /^\|\s*`((?:[^`\\]|\\.)+)`\s*\|(.*)$/.exec(line);
      if (row) add(row[1].replace(/\\\|/g, "|"), `Commands table, line ${i + 1}`, /needs hardware/.test(row[2]));
    }
  });
  return out;
}
