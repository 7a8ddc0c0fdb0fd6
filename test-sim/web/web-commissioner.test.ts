/**
 * The web commissioner in a real browser: headless Chromium (Debian `chromium`) driven by
 * puppeteer-core pairs a simulated device over the WebSocket bridge (the label's QR code read
 * from a photo file and through the fake camera), shows the attempts left after a wrong code, lists the device, opens a
 * session, echoes, reads the audit trail, rotates the identity and the storage key and decommissions
 * the device; its records and its sealed, non-extractable key survive a reload; paired
 * again without a button press, the device's closed window is shown.
 * A screenshot of each main screen goes to .test-results/web/ (WEB_README_SHOT=FILE: the session
 * screen to FILE as well, how docs/img/web-commissioner.png is made). Web Serial and Web Bluetooth
 * cannot run headless: test-sim/web/links.test.ts runs their framing against fake ports.
 * Without chromium the test is skipped (apt-get install chromium); in CI it fails.
 */
// The page callbacks below run in the browser: their element arguments are typed `any` here (Node types, no DOM).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import { ROOT } from "../../build/paths.ts";
import { encodeSetupPayload } from "../../commissioner/setup-payload.ts";
import { missingTool } from "../engines/tools.ts";
import { EMBEDDED_SIM_BOARD } from "../sim/board.ts";
import { startServedDevice } from "../sim/serve.ts";
import type { SimDevice } from "../sim/sim-device.ts";
import { buildWeb } from "../../tools/web/build.node.ts";
import { staticServer } from "../../tools/web/serve.node.ts";
import QRCode from "qrcode";
import { qrY4m } from "./y4m.ts";

const CODE = "20202021";
const SHOTS = join(ROOT, ".test-results", "web");
const skip = missingTool("chromium");
/** Debian's wrapper script; else whichever `chromium` the probe found on PATH. */
const CHROMIUM = existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : spawnSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).stdout.trim();

test("web commissioner in headless Chromium: wrong code, pair over the WebSocket bridge with the QR label, session, audit, rotate, decommission", { skip, timeout: 90_000 }, async (t) => {
  const puppeteer = (await import("puppeteer-core")).default;
  const dir = mkdtempSync(join(tmpdir(), "fl-web-"));
  mkdirSync(SHOTS, { recursive: true });
  let dev: SimDevice | null = null, server: Server | null = null, browser: Awaited<ReturnType<typeof puppeteer.launch>> | null = null;
  let pageText: () => Promise<string> = async () => "";
  const deviceLog: string[] = [];
  try {
    const build = await buildWeb({ out: join(dir, "site") });
    t.diagnostic(`bundle: ${build.app.bytes} B minified, ${build.app.gzip} B gzip (+ QR decoder ${build.lazy.bytes} B, ${build.lazy.gzip} B gzip)`);
    server = staticServer(build.out);
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    const webPort = (server.address() as { port: number }).port;
    ({ dev } = await startServedDevice({ engine: "node", board: EMBEDDED_SIM_BOARD, code: CODE, flashPath: join(dir, "flash.bin"), port: 0, seed: "web-test", out: (l) => deviceLog.push(l) }));
    dev.realtime(true);
    const payload = encodeSetupPayload({ version: 1, code: CODE, discriminator: 1234 });
    const video = join(dir, "label.y4m");
    writeFileSync(video, qrY4m(payload));

    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`],
    });
    const page = await browser.newPage();
    await page.setViewport({ width: 960, height: 760 });
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    await page.goto(`http://127.0.0.1:${webPort}/?device=${encodeURIComponent(dev.wsUrl)}`);
    await page.waitForSelector("body[data-ready=yes]", { timeout: 10_000 });
    pageText = () => page.evaluate(`document.querySelector("main").innerText`) as Promise<string>;
    const text = (sel: string) => page.$eval(sel, (e: any) => e.innerText);
    const visible = (sel: string) => page.waitForSelector(sel + ":not([hidden])", { timeout: 20_000 });
    const logHas = (re: RegExp) => page.waitForFunction(`new RegExp(${JSON.stringify(re.source)}).test(document.getElementById("session-log").innerText)`, { timeout: 20_000 });

    // A wrong code: the device's PAIRING_FAILED, with the attempts left.
    await page.type("#code", "2020-2022");
    await page.click("#pair-btn");
    await visible("#pair-error");
    assert.match(await text("#pair-error"), /Wrong setup code: 19 attempts left/);
    assert.equal(await page.$eval("#pair-error", (e: any) => e.dataset.code), "PAIRING_FAILED");
    await page.screenshot({ path: join(SHOTS, "1-wrong-code.png"), fullPage: true });

    // A photo of the label (a PNG of its QR code) read by jsQR.
    const photo = join(dir, "label.png");
    await QRCode.toFile(photo, encodeSetupPayload({ version: 1, code: CODE, discriminator: 7 }), { margin: 4, scale: 6 });
    const file = await page.$("#qr-file");
    await (file as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(photo);
    await page.waitForFunction(`/discriminator 7$/.test(document.getElementById("code-note").innerText)`, { timeout: 20_000 });

    // The label through the camera: FL:1… decoded by jsQR, the code and discriminator shown.
    await page.$eval("#code", (e: any) => ((e).value = ""));
    await page.$eval("#code-note", (e: any) => ((e).textContent = ""));
    await page.click("#scan-btn");
    await page.waitForFunction(`/label read/.test(document.getElementById("code-note").innerText)`, { timeout: 20_000 });
    assert.equal(await page.$eval("#code", (e: any) => e.value), payload);
    assert.match(await text("#code-note"), /setup code 2020-2021, discriminator 1234/);

    await page.type("#label", "bench light");
    await page.click("#pair-btn");
    await visible("#pair-result");
    const id = await page.$eval("#pair-result", (e: any) => e.dataset.deviceId!);
    assert.match(id, /^[0-9a-f]{16}$/);
    const steps = await page.$$eval("#pair-steps li", (els) => els.map((e) => e.className));
    assert.deepEqual(steps, ["done", "done", "done", "done", "done", "done"]);
    await page.screenshot({ path: join(SHOTS, "2-paired.png"), fullPage: true });

    // What IndexedDB holds survives a reload: the same commissioner key, the device still listed.
    const key = await text("#identity");
    await page.reload();
    await page.waitForSelector("body[data-ready=yes]", { timeout: 10_000 });
    assert.equal((await text("#identity")).replace(/created now|since \S+/, ""), key.replace(/created now|since \S+/, ""));
    // The sealing key is a non-extractable WebCrypto key: the page itself cannot export it.
    const sealing = await page.evaluate(`new Promise((resolve, reject) => {
      const req = indexedDB.open("firstlight-commissioner");
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const get = req.result.transaction("keys").objectStore("keys").get("identity");
        get.onsuccess = async () => {
          const k = get.result.sealingKey;
          const exported = await crypto.subtle.exportKey("raw", k).then(() => "exported", (e) => e.name);
          resolve({ type: k.constructor.name, algorithm: k.algorithm.name, extractable: k.extractable, exported, sealed: get.result.sealed.length });
        };
      };
    })`);
    assert.deepEqual(sealing, { type: "CryptoKey", algorithm: "AES-GCM", extractable: false, exported: "InvalidAccessError", sealed: 48 });

    await page.click("nav button[data-screen=devices]");
    await page.waitForSelector(`#devices tr[data-id="${id}"]`);
    assert.match(await text(`#devices tr[data-id="${id}"]`), /active\s+sim\s+bench light\s+0/);
    await page.screenshot({ path: join(SHOTS, "3-devices.png"), fullPage: true });

    await page.click(`#devices button[data-id="${id}"]`);
    await page.waitForSelector("#session-open:not([disabled])");
    await page.click("#session-open");
    await logHas(/session open with [0-9a-f]{16} \(Noise KK/);
    await page.waitForSelector("#echo-btn:not([disabled])");
    await page.click("#echo-btn");
    await logHas(/← "hello, device"/);
    await page.click("#audit-btn");
    await logHas(/audit trail: \d+ entries.*the device verified its chain \(ok\)/);
    await logHas(/continuity:/);
    assert.match(await text("#audit"), /PAIRING_OK/);
    await page.screenshot({ path: join(SHOTS, "4-session.png"), fullPage: true });
    // WEB_README_SHOT=FILE: the session screen for the docs (docs/img/web-commissioner.png), down to the footer.
    if (process.env.WEB_README_SHOT) {
      const height = Math.ceil(Number(await page.evaluate(`document.querySelector("footer").getBoundingClientRect().bottom + 12`)));
      await page.screenshot({ path: process.env.WEB_README_SHOT as `${string}.png`, clip: { x: 0, y: 0, width: 960, height } });
    }

    await page.click("#rotate-btn");
    await logHas(/identity rotated: epoch 1/);
    await page.waitForSelector("#rotate-storage-btn:not([disabled])");
    await page.click("#rotate-storage-btn");
    await logHas(/storage key rotated/);
    await page.waitForSelector("#decommission-btn:not([disabled])");
    await page.click("#decommission-btn");
    assert.match(await text("#decommission-btn"), /Really decommission/);
    await page.click("#decommission-btn");
    await logHas(/decommissioned: the device shredded its credentials/);
    assert.match(await text("#session-device"), /decommissioned/);
    await page.screenshot({ path: join(SHOTS, "5-decommissioned.png"), fullPage: true });

    // The device agrees: it is unpaired again, and the browser refuses another session.
    const after = await dev.step();
    assert.equal(after.status?.state, "unpaired", JSON.stringify(after.status));
    assert.equal(await page.$eval("#session-open", (e: any) => e.disabled), true);
    await page.click("nav button[data-screen=devices]");
    await page.waitForFunction(`/decommissioned/.test(document.querySelector('#devices tr[data-id="${id}"]').textContent)`, { timeout: 10_000 });
    // Pairing it again without a button press: the device's window is closed, and the page says so.
    await page.click("nav button[data-screen=pair]");
    await page.type("#code", "2020-2021");
    await page.click("#pair-btn");
    await page.waitForFunction(`document.getElementById("pair-error").dataset.code === "WINDOW_CLOSED" && !document.getElementById("pair-error").hidden`, { timeout: 20_000 });
    assert.match(await text("#pair-error"), /commissioning window is closed: press its button/);
    await page.screenshot({ path: join(SHOTS, "6-window-closed.png"), fullPage: true });
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    for (const l of ["the page showed:", ...(await pageText().catch(() => "")).split("\n"), "the device logged (last lines):", ...deviceLog.slice(-30)]) t.diagnostic(l);
    throw e;
  } finally {
    await browser?.close();
    await dev?.close();
    if (server) await new Promise<void>((r) => server!.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
});
