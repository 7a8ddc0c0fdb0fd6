/**
 * Plain data (what the self-test loaders produce: JSON values) as a Lua expression that
 * typescript-to-lua's compiled code reads as the same value: arrays are 1-based sequences,
 * objects tables with string keys, strings UTF-8 bytes (Lua strings hold bytes; a lone UTF-16
 * surrogate becomes its 3-byte form). `null` inside an array has no Lua form (a sequence cannot
 * hold nil) and is refused.
 */
const KEYWORDS = new Set(["and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
  "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"]);

/** A JavaScript string as a Lua string literal of its UTF-8 bytes (ASCII source, decimal escapes: Lua 5.1 has no \x). */
export function luaString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    const bytes = c < 0x80 ? [c] : c < 0x800 ? [0xc0 | (c >> 6), 0x80 | (c & 63)]
      : c < 0x10000 ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)]
      : [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
    for (const b of bytes) {
      if (b === 0x22) out += '\\"';
      else if (b === 0x5c) out += "\\\\";
      else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
      else out += "\\" + String(b).padStart(3, "0");
    }
  }
  return out + '"';
}

export function toLua(v: unknown, path = "data"): string {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "string") return luaString(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`${path}: ${v} has no Lua literal`);
    return String(v);
  }
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    return "{" + v.map((x, i) => {
      if (x === null || x === undefined) throw new Error(`${path}[${i}]: null in an array has no Lua form`);
      return toLua(x, `${path}[${i}]`);
    }).join(",") + "}";
  }
  if (typeof v === "object") {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined) continue;
      const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && !KEYWORDS.has(k) ? k : "[" + luaString(k) + "]";
      parts.push(key + "=" + toLua(x, `${path}.${k}`));
    }
    return "{" + parts.join(",") + "}";
  }
  throw new Error(`${path}: a ${typeof v} has no Lua form`);
}
