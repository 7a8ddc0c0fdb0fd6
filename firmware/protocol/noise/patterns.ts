/**
 * Noise handshake patterns (revision 34) as data: the one-way patterns of §7.4, the interactive
 * fundamental patterns of §7.5, and their psk variants built by the modifier rules of §9.2.
 * Deferred patterns (§7.6: X1K, NK1, …) are not shipped: nothing in firstlight uses them.
 *
 * A pattern is written [initiator pre-message, responder pre-message, message 1, message 2, …];
 * messages alternate initiator → responder, responder → initiator, … (§7.1). Tokens are separated
 * by spaces.
 */
import { fail } from "../../errors";

export var TOKEN_E = 0;
export var TOKEN_S = 1;
export var TOKEN_EE = 2;
export var TOKEN_ES = 3;
export var TOKEN_SE = 4;
export var TOKEN_SS = 5;
export var TOKEN_PSK = 6;

var TOKEN_NAMES = ["e", "s", "ee", "es", "se", "ss", "psk"];

/** §7.4 and §7.5. */
/**
 * The fundamental patterns (Noise spec §7.4, §7.5), built when a handshake asks and not kept: on
 * Espruino a table held in a variable costs about 180 variables for as long as the firmware runs
 * (docs/engines.md, "Memory on Espruino").
 */
function fundamentalPatterns(): { [name: string]: string[] } {
  return {
    N: ["", "s", "e es"],
    K: ["s", "s", "e es ss"],
    X: ["", "s", "e es s ss"],
    NN: ["", "", "e", "e ee"],
    NK: ["", "s", "e es", "e ee"],
    NX: ["", "", "e", "e ee s es"],
    KN: ["s", "", "e", "e ee se"],
    KK: ["s", "s", "e es ss", "e ee se"],
    KX: ["s", "", "e", "e ee se s es"],
    XN: ["", "", "e", "e ee", "s se"],
    XK: ["", "s", "e es", "e ee", "s se"],
    XX: ["", "", "e", "e ee s es", "s se"],
    IN: ["", "", "e s", "e ee se"],
    IK: ["", "s", "e es s ss", "e ee se"],
    IX: ["", "", "e s", "e ee se s es"],
  };
}

/** A parsed pattern: token codes per pre-message and per message, and how many PSKs it takes. */
export interface HandshakePattern {
  name: string;
  /** [initiator's pre-message tokens, responder's pre-message tokens]. */
  pre: number[][];
  messages: number[][];
  /** Number of psk tokens (= PSKs the caller must supply, in the order of the modifiers). */
  psks: number;
  oneWay: boolean;
}

function tokens(s: string): number[] {
  var out: number[] = [];
  if (s === "") return out;
  var parts = s.split(" ");
  for (var i = 0; i < parts.length; i++) out.push(TOKEN_NAMES.indexOf(parts[i]));
  return out;
}

/**
 * The pattern named like "XX", "XXpsk3" or "NNpsk0+psk2" (§10.2 modifiers joined by "+").
 * §9.2: "psk0" puts a psk token at the start of the first message, "pskN" (N ≥ 1) at the end of
 * message N. Modifiers must be distinct, ascending and refer to an existing message, so that the
 * caller's PSK list (in the order of the modifiers) is also the order the tokens consume them.
 */
export function handshakePattern(name: string): HandshakePattern {
  var i = 0;
  while (i < name.length && name.charCodeAt(i) >= 65 && name.charCodeAt(i) <= 90) i++;
  var base = name.substring(0, i);
  var all = fundamentalPatterns();
  if (!all.hasOwnProperty(base)) fail("PROTO_BAD_PATTERN", "unknown handshake pattern '" + name + "'");
  var def = all[base];
  var p: HandshakePattern = { name: name, pre: [tokens(def[0]), tokens(def[1])], messages: [], psks: 0, oneWay: def.length === 3 };
  for (var m = 2; m < def.length; m++) p.messages.push(tokens(def[m]));
  var mods = i < name.length ? name.substring(i).split("+") : [];
  var last = -1;
  for (var j = 0; j < mods.length; j++) {
    var mod = mods[j], n = -1;
    if (mod.length === 4 && mod.substring(0, 3) === "psk") n = mod.charCodeAt(3) - 48;
    if (n < 0 || n > 9 || n <= last || n > p.messages.length)
      fail("PROTO_BAD_PATTERN", "unsupported modifier '" + mod + "' in '" + name + "'");
    if (n === 0) p.messages[0].unshift(TOKEN_PSK);
    else p.messages[n - 1].push(TOKEN_PSK);
    last = n;
    p.psks++;
  }
  return p;
}

/**
 * Splits "Noise_XXpsk3_25519_ChaChaPoly_SHA256" (§8) into its pattern; any other DH, cipher or
 * hash is PROTO_BAD_PATTERN (this build ships only 25519, ChaChaPoly and SHA256).
 */
export function patternOfProtocolName(protocolName: string): HandshakePattern {
  var suffix = "_25519_ChaChaPoly_SHA256";
  var n = typeof protocolName === "string" ? protocolName.length - suffix.length : 0;
  if (n <= 6 || protocolName.substring(0, 6) !== "Noise_" || protocolName.substring(n) !== suffix)
    fail("PROTO_BAD_PATTERN", "only Noise_*_25519_ChaChaPoly_SHA256 protocols are supported, not '" + protocolName + "'");
  return handshakePattern(protocolName.substring(6, n));
}

/** The names of every pattern this build accepts without modifiers. */
export function fundamentalPatternNames(): string[] {
  var out: string[] = [], all = fundamentalPatterns();
  for (var k in all) if (all.hasOwnProperty(k)) out.push(k);
  return out;
}
