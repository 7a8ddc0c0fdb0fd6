/**
 * build/espruino-overlays.ts: the code only an entry point reaches moves into that overlay's
 * function, the image computes what it computed before, the core keeps what load reaches, and
 * module-level state never goes into an overlay. The built board images carry the overlays.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { parse } from "acorn";
import { overlayImage } from "../../build/espruino-overlays.ts";
import { checkEs5Image } from "../../build/compat-gate.ts";
import { DIST } from "../../build/paths.ts";

function run(src: string): unknown[] {
  const ctx: Record<string, unknown> = { out: [] as unknown[] };
  vm.runInNewContext(src, ctx);
  return ctx.out as unknown[];
}

// A root-scope image (build/espruino-root-scope.ts shape): $-names are module-level.
const IMAGE = [
  "function $core(x){return x+1}",
  "function $pa(x){return $pb(x)*2+$core(0)+$T[0]}", // pairing entry
  "function $pb(x){return $sh(x)+$S.length}",
  "function $sa(x){return $sh(x)-1}", // session entry
  "function $sh(x){return x+$K}", // shared by both overlays
  "function $dev(kind,x){return kind==='p'?$pa(x):$sa(x)}",
  "var firstlight;",
  "var $K=10,$T=[5],$S=new Array(3);",
  "var $used=$core(1);",
  "espruinoOverlays={pairing:$pa,session:$sa};",
  "out.push($dev('p',1),$dev('s',1),$used);",
].join("");

test("the overlaid image computes what the image computed", () => {
  const before = run(IMAGE.replace("espruinoOverlays={pairing:$pa,session:$sa};", ""));
  const { code } = overlayImage(IMAGE);
  assert.deepEqual(run(code), before);
  assert.deepEqual(before, [(11 + 3) * 2 + 1 + 5, 10, 2]);
});

test("what only an entry reaches is declared inside its overlay; what two reach is in both; the core stays global", () => {
  const { code, plan } = overlayImage(IMAGE);
  assert.deepEqual(plan!.overlays.pairing, ["$pa", "$K", "$S", "$T", "$pb", "$sh"]);
  assert.deepEqual(plan!.overlays.session, ["$sa", "$K", "$sh"]);
  assert.match(code, /function \$ovl_pairing\(\)\{function \$pa\(x\)\{.*\}function \$pb\(x\)\{.*\}function \$sh\(x\)\{.*\}var \$K=10;var \$T=\[5\];var \$S=new Array\(3\);return \$pa\}/);
  assert.match(code, /function \$ovl_session\(\)\{function \$sa\(x\)\{.*\}function \$sh\(x\)\{return x\+\$K\}var \$K=10;return \$sa\}/);
  assert.match(code, /function \$dev\(kind,x\)\{return kind==='p'\?\$ovl_pairing\(\)\(x\):\$ovl_session\(\)\(x\)\}/);
  assert.doesNotMatch(code, /espruinoOverlays/);
  const ast = parse(code, { ecmaVersion: 5, sourceType: "script" }) as unknown as { body: { type: string; id?: { name: string } }[] };
  const globals = ast.body.filter((s) => s.type === "FunctionDeclaration").map((s) => s.id!.name);
  assert.deepEqual(globals, ["$core", "$dev", "$ovl_pairing", "$ovl_session"], "only the core and the wrappers are made at load");
  assert.doesNotMatch(code.slice(code.lastIndexOf("return $sa}")), /\$K/, "a constant only overlays read is made by each overlay, not at load");
  assert.deepEqual(checkEs5Image(code, "overlaid").problems, []);
});

test("an image without the marker is unchanged", () => {
  const src = "function $a(){return 1}out.push($a());";
  assert.deepEqual(overlayImage(src), { code: src, plan: null });
});

test("an entry called at load runs through its overlay", () => {
  const { code } = overlayImage("function $a(){return $b()+1}function $b(){return 1}var $x=$a();out.push($x);espruinoOverlays={p:$a};");
  assert.match(code, /var \$x=\$ovl_p\(\)\(\);/);
  assert.deepEqual(run(code), [2]);
});

test("a non-function entry and module-level state in an overlay are refused", () => {
  assert.throws(() => overlayImage("var $a=1;espruinoOverlays={p:$a};"), /not a module-level function declaration/);
  assert.throws(() => overlayImage("function $a(){$n++;return $n}var $n=0;function $d(){return $a()}out.push($d());espruinoOverlays={p:$a};"), /module-level state.*\$n/);
  assert.throws(() => overlayImage("function $a(){return $t.length}var $t=($c.n=1,[1]);var $c={};out.push($a(),$c);espruinoOverlays={p:$a};"), /making overlay p would change \$c/);
  assert.doesNotThrow(() => overlayImage("function $a(){return $t.m()}var $t={m:function(){$c.n=1}};var $c={};out.push($a());espruinoOverlays={p:$a};"), "a method that changes the core when called is fine");
});

const image = join(DIST, "firstlight-board-espruino-linux.js");

test("the espruino-linux board image makes its pairing, session and X25519 code in overlays", { skip: existsSync(image) ? false : `${image} is missing (npx tsx build/build.ts)` }, () => {
  const code = readFileSync(image, "utf8");
  const ast = parse(code, { ecmaVersion: 5, sourceType: "script" }) as unknown as { body: { type: string; id?: { name: string }; body?: { body: unknown[] } }[] };
  const wrappers = ast.body.filter((s) => s.type === "FunctionDeclaration" && /^\$ovl_/.test(s.id!.name));
  assert.deepEqual(wrappers.map((w) => w.id!.name), ["$ovl_pairing", "$ovl_session", "$ovl_x25519"]);
  for (const w of wrappers) assert.ok(w.body!.body.length > 15, `${w.id!.name} holds ${w.body!.body.length} declarations`);
  assert.match(code, /"Noise_XXpsk3_25519_ChaChaPoly_SHA256"/);
  const pairing = code.indexOf("function $ovl_pairing"), session = code.indexOf("function $ovl_session");
  const xx = code.indexOf('"Noise_XXpsk3_25519_ChaChaPoly_SHA256"'), kk = code.indexOf('"Noise_KK_25519_ChaChaPoly_SHA256"');
  assert.ok(xx > pairing && xx < session, "the XX protocol name is inside the pairing overlay");
  assert.ok(kk > session && kk < code.indexOf("function $ovl_x25519"), "the KK protocol name is inside the session overlay");
  assert.deepEqual(checkEs5Image(code, "firstlight-board-espruino-linux.js").problems, []);
});
