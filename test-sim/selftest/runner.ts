/**
 * The on-engine half of the self-test: runs each suite against the global `firstlight` image with
 * its embedded vectors and ends with the line `N passed, M failed`. ES5 only: this file runs on
 * Duktape, QuickJS, Espruino and JerryScript as well as Node.
 */
declare var FIRSTLIGHT_VECTORS: { [suite: string]: unknown };
declare var firstlight: unknown;
declare var print: ((s: string) => void) | undefined;
declare var console: { log(s: string): void } | undefined;

export interface Check {
  /** Records one check. */
  ok(condition: boolean, label: string): void;
  /** Records equality of a byte string (or null) with expected lowercase hex. */
  eqHex(actual: Uint8Array | null, expectedHex: string, label: string): void;
  /** Records that `fn` throws an error whose `code` is `code`. */
  throwsCode(fn: () => unknown, code: string, label: string): void;
}

export type Suite = (fl: any, data: any, t: Check) => void;

var HEX = "0123456789abcdef";
function hex(b: Uint8Array): string {
  var s = "";
  for (var i = 0; i < b.length; i++) s += HEX.charAt(b[i] >> 4) + HEX.charAt(b[i] & 15);
  return s;
}

function out(s: string): void {
  if (typeof print === "function") print(s);
  else if (typeof console !== "undefined") console.log(s);
}

export function runAll(suites: { [name: string]: Suite }): void {
  var passed = 0, failed = 0, shown = 0;
  function record(ok: boolean, suite: string, label: string, detail: string): void {
    if (ok) { passed++; return; }
    failed++;
    if (shown++ < 40) out("FAIL " + suite + ": " + label + (detail ? " (" + detail + ")" : ""));
  }
  for (var name in FIRSTLIGHT_VECTORS) {
    if (!FIRSTLIGHT_VECTORS.hasOwnProperty(name)) continue;
    var suite = suites[name];
    if (!suite) { record(false, name, "no such suite in the runner", ""); continue; }
    var p0 = passed, f0 = failed, t0 = Date.now();
    var t: Check = {
      ok: function (c, label) { record(!!c, name, label, ""); },
      eqHex: function (a, e, label) {
        var got = a === null ? "null" : hex(a);
        record(got === e, name, label, got === e ? "" : "got " + got + ", want " + e);
      },
      throwsCode: function (fn, code, label) {
        try { fn(); } catch (e) {
          var c = (e as { code?: string }).code;
          record(c === code, name, label, c === code ? "" : "threw " + String(e));
          return;
        }
        record(false, name, label, "did not throw " + code);
      },
    };
    try {
      suite(firstlight, FIRSTLIGHT_VECTORS[name], t);
    } catch (e) {
      record(false, name, "suite threw", String(e) + ((e as { stack?: string }).stack ? "\n" + (e as { stack?: string }).stack : ""));
    }
    out("suite " + name + ": " + (passed - p0) + " passed, " + (failed - f0) + " failed in " + (Date.now() - t0) + " ms");
  }
  out(passed + " passed, " + failed + " failed");
}
