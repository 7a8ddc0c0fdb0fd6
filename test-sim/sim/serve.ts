/**
 * `npm start -- --serve`: a simulated device that stays up on a loopback port, for the commissioner
 * CLI in another terminal. It boots from the flash file as it is (a paired device stays paired),
 * opens its entropy gate, presses its button once if it is unpaired, then follows the wall clock.
 * Enter presses the button again (a short press); "reset" + Enter holds it 10 s (factory reset).
 * Besides its TCP port it listens for WebSockets (the bridge of hal/sim/ws-link.node.ts), where the
 * web commissioner (`npm run web`) reaches it: each WebSocket is one more link of the same device.
 */
import { createInterface } from "node:readline";
import type { BoardConfig } from "../../hal/board-config.ts";
import type { EngineName } from "./engines.ts";
import { SimDevice } from "./sim-device.ts";

export interface ServeOptions {
  engine: EngineName;
  board: BoardConfig;
  code: string;
  /**
   * A provisioned device (docs/setup-payload.md): its factory file's secret and sealed code, or for a
   * board without a secret its code in clear (then also given as `code`).
   */
  factory?: { path: string; id: string; discriminator: number; deviceSecret?: string; sealedSetupCode?: string };
  flashPath: string;
  port: number;
  /** The WebSocket bridge's port (0: any free port). */
  wsPort?: number;
  /** The simulated TRNG's seed (default "firstlight-sim"); the main job passes a random one unless --seed is given. */
  seed?: string;
  out: (line: string) => void;
}

/**
 * Boots the device, opens its entropy gate, presses its button once if it is unpaired, and listens
 * on TCP and the WebSocket bridge. The browser test (test-sim/web/) starts its device with this too.
 */
export async function startServedDevice(o: ServeOptions): Promise<{ dev: SimDevice; state: string | undefined }> {
  const dev = await SimDevice.start({
    engine: o.engine,
    board: o.board,
    flashPath: o.flashPath,
    ...(o.factory?.sealedSetupCode ? { secretHex: o.factory.deviceSecret, sealedSetupHex: o.factory.sealedSetupCode } : { setupCode: o.code }),
    mode: "device",
    trng: { kind: "healthy", seed: o.seed ?? "firstlight-sim" },
    onLog: (t, l) => o.out(`device  t=${(t / 1000).toFixed(3)} s  ${l}`),
    onFault: (f) => o.out(`FAULT   ${f}`),
    onReboot: (n) => o.out(`-- the device rebooted itself (boot ${n}), from ${o.flashPath}`),
  });
  const ready = await dev.advanceUntil((a) => a.gate.state !== "gathering", 120_000, 50);
  if (!ready || ready.gate.state !== "ready") throw new Error("the entropy gate did not open: " + (ready?.gate.error ?? "timeout"));
  const a = await dev.step();
  const state = a.status?.state;
  if (state === "unpaired") {
    await dev.press(250);
    await dev.advance(300, 50);
  }
  await dev.listen(o.port);
  await dev.listenWs(o.wsPort ?? 0);
  return { dev, state };
}

export async function serveDevice(o: ServeOptions): Promise<void> {
  const { dev, state } = await startServedDevice(o);
  dev.realtime(true);
  o.out("");
  if (o.factory) {
    // The device knows its code only inside the image: the person reads it from the label.
    o.out(`device ${o.factory.id} on ${dev.url} (${o.engine}), discriminator ${o.factory.discriminator}, setup code on its label (${o.factory.path.replace(/\.json$/, ".txt")}), flash ${o.flashPath}`);
    o.out(`  npm run commission -- --code PAYLOAD_OR_CODE --device ${dev.url}`);
  } else {
    o.out(`device on ${dev.url} (${o.engine}), setup code ${o.code}, flash ${o.flashPath}`);
    o.out(`  npm run commission -- --code ${o.code} --device ${dev.url}`);
  }
  o.out(`  WebSocket bridge on ${dev.wsUrl} (the web commissioner: npm run web, then this address)`);
  o.out(`  npm run commission -- session --device ${dev.url} --id DEVICE_ID --echo hello`);
  if (state !== "unpaired")
    o.out(`the device is ${state} from an earlier run (its flash file is kept): \`npm run commission -- list\` shows it if this machine paired it; reset + Enter starts it afresh`);
  o.out("Enter: press the button · reset + Enter: hold it 10 s (factory reset) · Ctrl-C: power off");
  const rl = createInterface({ input: process.stdin });
  rl.on("line", (l) => {
    const hold = l.trim() === "reset" ? 10_500 : 250;
    void dev.step({ press: hold }).then(() => o.out(`(button held ${hold} ms)`));
  });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
    if (process.stdin.isTTY) rl.once("close", () => resolve());
  });
  rl.close();
  await dev.close();
  o.out("powered off");
}
