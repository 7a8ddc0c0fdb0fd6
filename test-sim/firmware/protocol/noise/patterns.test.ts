import { test } from "node:test";
import assert from "node:assert/strict";
import { handshakePattern, patternOfProtocolName, fundamentalPatternNames } from "../../../../firmware/protocol/noise/patterns.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;
const NAMES = ["e", "s", "ee", "es", "se", "ss", "psk"];
const show = (msgs: number[][]) => msgs.map((m) => m.map((t) => NAMES[t]).join(" "));

test("the fundamental patterns of §7.4 and §7.5, as the spec writes them", () => {
  assert.deepEqual(fundamentalPatternNames().sort(), ["IK", "IN", "IX", "K", "KK", "KN", "KX", "N", "NK", "NN", "NX", "X", "XK", "XN", "XX"]);
  const xx = handshakePattern("XX");
  assert.deepEqual(show(xx.messages), ["e", "e ee s es", "s se"]);
  assert.deepEqual(show(xx.pre), ["", ""]);
  const kk = handshakePattern("KK");
  assert.deepEqual(show(kk.pre), ["s", "s"]);
  assert.deepEqual(show(kk.messages), ["e es ss", "e ee se"]);
  assert.equal(handshakePattern("X").oneWay, true);
  assert.equal(handshakePattern("XX").oneWay, false);
});

test("§9.2: psk0 opens the first message, pskN closes message N; several modifiers join with +", () => {
  assert.deepEqual(show(handshakePattern("XXpsk3").messages), ["e", "e ee s es", "s se psk"]);
  assert.deepEqual(show(handshakePattern("NNpsk0").messages), ["psk e", "e ee"]);
  assert.deepEqual(show(handshakePattern("NNpsk0+psk2").messages), ["psk e", "e ee psk"]);
  assert.deepEqual(show(handshakePattern("XXpsk0+psk1+psk2+psk3").messages), ["psk e psk", "e ee s es psk", "s se psk"]);
  assert.deepEqual(show(handshakePattern("Npsk0").messages), ["psk e es"]);
  assert.equal(handshakePattern("XXpsk0+psk3").psks, 2);
});

test("unknown patterns, deferred patterns and bad modifiers are PROTO_BAD_PATTERN", () => {
  for (const bad of ["", "XY", "X1K", "NK1", "XXpsk4", "NNpsk3", "XXpsk", "XXpsk1+psk1", "XXpsk2+psk1", "XXfallback", "xx", "XXpsk10", "XX+psk1"]) {
    assert.throws(() => handshakePattern(bad), code("PROTO_BAD_PATTERN"), bad);
  }
  for (const bad of ["Noise_XX_448_ChaChaPoly_SHA256", "Noise_XX_25519_AESGCM_SHA256", "Noise_XX_25519_ChaChaPoly_BLAKE2s", "Noise__25519_ChaChaPoly_SHA256", "NoiseXX", 7 as unknown as string]) {
    assert.throws(() => patternOfProtocolName(bad), code("PROTO_BAD_PATTERN"), String(bad));
  }
  assert.equal(patternOfProtocolName("Noise_IKpsk2_25519_ChaChaPoly_SHA256").name, "IKpsk2");
});
