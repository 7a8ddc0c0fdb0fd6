/**
 * The on-engine half of the self-test. The vectors reach the engine in pieces (build/selftest.ts
 * cuts them), each piece one statement:
 *
 *   firstlightSelftest.piece(SUITE, K, N, DATA, BASE);   // K of N pieces of SUITE's vectors
 *   firstlightSelftest.done();                           // prints `N passed, M failed`
 *
 * so an engine with little memory can take them one at a time (over a console, or one file at a
 * time) instead of one JSON literal of every vector. Each suite runs once per piece, against the
 * global `firstlight` image; its one-off checks run on the first piece only (`t.first`), whole-set counts on the last (`t.last`). After a
 * suite's last piece the runner prints `suite NAME: P passed, F failed in T ms`.
 * ES5 only: this file runs on Duktape, QuickJS, Espruino and JerryScript as well as Node.
 */
declare var firstlight: unknown;
declare var firstlightSelftest: unknown;
declare var print: ((this: void, s: string) => void) | undefined;
declare var console: { log(this: void, s: string): void } | undefined;

export interface Check {
  /** True on the first piece of a suite's vectors: one-off checks (misuse, errors) run there only. */
  first: boolean;
  /** True on the last piece: checks over the whole vector set (counts) run there. */
  last: boolean;
  /** Index in the whole list of the first item of each cut list in this piece (absent: 0). */
  base: { [list: string]: number };
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

/** Where a piece's arrays start in the suite's whole vector set, for failure lines. */
function describeBase(base: { [key: string]: number } | undefined): string {
  var parts: string[] = [];
  for (var k in base) {
    var from = base.hasOwnProperty(k) ? base[k] : undefined;
    if (from !== undefined && from > 0) parts.push(k + " from #" + from);
  }
  return parts.length > 0 ? ", " + parts.join(", ") : "";
}

/** Publishes the global `firstlightSelftest` that the piece statements call. */
export function install(suites: { [name: string]: Suite }): void {
  var passed = 0, failed = 0, shown = 0;
  var current = "", suitePassed = 0, suiteFailed = 0, suiteMs = 0;

  function record(ok: boolean, where: string, label: string, detail: string): void {
    if (ok) { passed++; suitePassed++; return; }
    failed++;
    suiteFailed++;
    if (shown++ < 40) out("FAIL " + where + ": " + label + (detail !== "" ? " (" + detail + ")" : ""));
  }

  function piece(name: string, k: number, n: number, data: unknown, base?: { [key: string]: number }): void {
    if (k === 0 || name !== current) {
      current = name;
      suitePassed = 0; suiteFailed = 0; suiteMs = 0;
    }
    var where = n > 1 ? name + " (piece " + (k + 1) + "/" + n + describeBase(base) + ")" : name;
    var suite = suites[name], t0 = Date.now();
    if (!suite) record(false, where, "no such suite in the runner", "");
    else {
      var t: Check = {
        first: k === 0,
        last: k === n - 1,
        base: base || {},
        ok: function (c, label) { record(!!c, where, label, ""); },
        eqHex: function (a, e, label) {
          var got = a === null ? "null" : hex(a);
          record(got === e, where, label, got === e ? "" : "got " + got + ", want " + e);
        },
        throwsCode: function (fn, code, label) {
          try { fn(); } catch (e) {
            var c = (e as { code?: string }).code;
            record(c === code, where, label, c === code ? "" : "threw " + String(e));
            return;
          }
          record(false, where, label, "did not throw " + code);
        },
      };
      try {
        suite(firstlight, data, t);
      } catch (e) {
        record(false, where, "suite threw", String(e) + ((e as { stack?: string }).stack !== undefined ? "\n" + (e as { stack?: string }).stack : ""));
      }
    }
    suiteMs += Date.now() - t0;
    if (k === n - 1) out("suite " + name + ": " + suitePassed + " passed, " + suiteFailed + " failed in " + suiteMs + " ms");
  }

  firstlightSelftest = {
    piece: piece,
    /** Prints the closing line `N passed, M failed`. */
    done: function (): void { out(passed + " passed, " + failed + " failed"); },
    /** Prints `<ack TAG>`: a console feeder waits for it before sending the next piece. */
    ack: function (tag: string): void { out("<ack " + tag + ">"); },
  };
}
