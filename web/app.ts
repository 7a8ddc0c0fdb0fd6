/**
 * The web commissioner (docs/web-commissioner.md): pair a device over a WebSocket bridge, Web
 * Serial or Web Bluetooth; list the devices paired in this browser; open a session, echo, read and
 * verify the audit trail, rotate, decommission. The protocol and the record-keeping are the Node
 * CLI's own code (commissioner/pairing.ts, session.ts, flows.ts); only the links (web/links/) and
 * the storage (web/storage/, IndexedDB) are the browser's.
 */
import { toHex, utf8Decode, utf8Encode } from "../commissioner/bytes.ts";
import { mayOpenSession, type DeviceRecord } from "../commissioner/device-records.ts";
import { CommissionerError } from "../commissioner/errors.ts";
import type { FrameTransport } from "../commissioner/frame-transport.ts";
import { auditEventName, decommissionRecorded, openRecordedSession, pairAndRecord, rotateRecordedIdentity, sessionRecord } from "../commissioner/flows.ts";
import { observedIn } from "../commissioner/rollback.ts";
import { RuleStore } from "../commissioner/rule-store.ts";
import type { Session } from "../commissioner/session.ts";
import { readCodeOrPayload } from "./ui/code-input.ts";
import { connect, forgetChoice, type TransportKind } from "./ui/connect.ts";
import { byId, h, short, show } from "./ui/dom.ts";
import { explain } from "./ui/explain.ts";
import { decodeImageFile, scanWithCamera, type Scan } from "./ui/qr-scan.ts";
import { openDatabase } from "./storage/idb.ts";
import { idbBackend } from "./storage/idb-records.ts";
import { loadOrCreateIdentity, type Identity } from "./storage/identity.ts";

let records: RuleStore;
let identity: Identity & { created: boolean };
let session: Session | null = null;
let current: DeviceRecord | null = null;
let busy = false;

// ---------------------------------------------------------------------------------------------
// Screens

function showScreen(name: string): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>("nav .tab")) b.classList.toggle("active", b.dataset.screen === name);
  for (const s of document.querySelectorAll<HTMLElement>(".screen")) show(s, s.id === "screen-" + name);
  if (name === "devices") void renderDevices();
}

function showError(box: HTMLElement, e: unknown): void {
  const x = explain(e);
  box.replaceChildren(h("strong", {}, x.title), h("small", {}, x.detail + (x.code ? " (" + x.code + ")" : "")));
  box.dataset.code = x.code;
  show(box, true);
}

function transportKind(): TransportKind {
  return (document.querySelector<HTMLInputElement>("input[name=transport]:checked")?.value ?? "websocket") as TransportKind;
}

function deviceAddress(): string {
  return byId<HTMLInputElement>("ws-url").value;
}

// ---------------------------------------------------------------------------------------------
// Pairing

type StepState = "active" | "done" | "failed";

function setStep(step: string, s: StepState): void {
  const li = document.querySelector<HTMLElement>(`#pair-steps li[data-step="${step}"]`)!;
  li.classList.remove("active", "done", "failed");
  li.classList.add(s);
}

function failActiveStep(): void {
  for (const li of document.querySelectorAll<HTMLElement>("#pair-steps li.active")) {
    li.classList.remove("active");
    li.classList.add("failed");
  }
}

async function pairClicked(): Promise<void> {
  if (busy) return;
  const err = byId("pair-error"), result = byId("pair-result");
  show(err, false);
  show(result, false);
  for (const li of document.querySelectorAll<HTMLElement>("#pair-steps li")) li.classList.remove("active", "done", "failed");
  let entered;
  try {
    entered = readCodeOrPayload(byId<HTMLInputElement>("code").value);
  } catch (e) {
    showError(err, e);
    return;
  }
  const label = byId<HTMLInputElement>("label").value.trim() || undefined;
  busy = true;
  byId<HTMLButtonElement>("pair-btn").disabled = true;
  let t: FrameTransport | null = null;
  try {
    setStep("connect", "active");
    t = await connect(transportKind(), deviceAddress());
    setStep("connect", "done");
    const link = t;
    const r = await identity.use((kp) =>
      pairAndRecord(link, {
        code: entered.code,
        identity: kp,
        records,
        label,
        onStep: (step) => {
          if (step === "hello") (setStep("hello", "done"), setStep("response", "active"));
          else if (step === "response") (setStep("response", "done"), setStep("confirm", "active"));
          else if (step === "confirm") (setStep("confirm", "done"), setStep("done", "active"));
          else (setStep("done", "done"), setStep("recorded", "active"));
        },
      }),
    );
    if (!r.added && !mayOpenSession(r.record))
      throw new CommissionerError("UNUSABLE_IDENTITY", `the device paired, but this browser holds its identity key as ${r.record.id}, which is ${r.record.status}`);
    setStep("recorded", "done");
    const i = r.pairing.deviceInfo;
    const open = h("button", { id: "pair-open-session" }, "Open a session with it");
    open.onclick = () => void selectDevice(r.record.id);
    result.replaceChildren(
      h("strong", {}, `Paired device ${r.record.id}${r.added ? "" : " (already recorded in this browser)"}`),
      h("small", {}, `${[i.board && "board " + i.board, i.firmware && "firmware " + i.firmware, i.serial && "serial " + i.serial].filter(Boolean).join(", ")}  identity ${r.record.identityPublic}`),
      open,
    );
    result.dataset.deviceId = r.record.id;
    show(result, true);
  } catch (e) {
    t?.close();
    failActiveStep();
    showError(err, e);
  } finally {
    busy = false;
    byId<HTMLButtonElement>("pair-btn").disabled = false;
  }
}

let scan: Scan | null = null;

function codeScanned(text: string): void {
  const input = byId<HTMLInputElement>("code"), note = byId("code-note");
  input.value = text;
  try {
    const c = readCodeOrPayload(text);
    note.textContent = `label read: setup code ${c.code.slice(0, 4)}-${c.code.slice(4)}` + (c.discriminator !== undefined ? `, discriminator ${c.discriminator}` : "");
  } catch (e) {
    note.textContent = explain(e).detail;
  }
}

async function scanClicked(): Promise<void> {
  const video = byId<HTMLVideoElement>("scan-video"), btn = byId<HTMLButtonElement>("scan-btn");
  if (scan) {
    scan.stop();
    return;
  }
  show(byId("pair-error"), false);
  show(video, true);
  btn.textContent = "Stop scanning";
  scan = scanWithCamera(video);
  try {
    codeScanned(await scan.result);
  } catch (e) {
    if ((e as { code?: string }).code !== "CANCELLED") showError(byId("pair-error"), e);
  } finally {
    scan = null;
    show(video, false);
    btn.textContent = "Scan QR code";
  }
}

async function fileChosen(input: HTMLInputElement): Promise<void> {
  const f = input.files?.[0];
  if (!f) return;
  try {
    const text = await decodeImageFile(f);
    if (text === null) throw new CommissionerError("BAD_CODE", "no QR code found in " + f.name);
    codeScanned(text);
  } catch (e) {
    showError(byId("pair-error"), e);
  }
}

// ---------------------------------------------------------------------------------------------
// Devices

async function renderDevices(): Promise<void> {
  const all = await records.list();
  const body = document.querySelector("#devices tbody")!;
  body.replaceChildren(
    ...all.map((d) => {
      const b = h("button", { "data-id": d.id }, "Session");
      b.disabled = !mayOpenSession(d);
      b.onclick = () => void selectDevice(d.id);
      return h("tr", { "data-id": d.id },
        h("td", { class: "mono" }, d.id), h("td", { class: "status-" + d.status }, d.status), h("td", {}, d.board || "–"),
        h("td", {}, d.label || "–"), h("td", {}, String(d.epoch)), h("td", {}, d.createdAt.slice(0, 16).replace("T", " ")), h("td", {}, b));
    }),
  );
  show(byId("devices-empty"), all.length === 0);
  show(byId("devices"), all.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Sessions

function log(line: string, cls = ""): void {
  byId("session-log").append(h("li", cls ? { class: cls } : {}, line));
}

function sessionButtons(): void {
  const open = session !== null && !session.closed;
  byId<HTMLButtonElement>("session-open").disabled = busy || open || !current || !mayOpenSession(current);
  byId<HTMLButtonElement>("session-close").disabled = busy || !open;
  for (const id of ["echo-btn", "audit-btn", "rotate-btn", "rotate-storage-btn", "decommission-btn"]) byId<HTMLButtonElement>(id).disabled = busy || !open;
  const dec = byId<HTMLButtonElement>("decommission-btn");
  if (!open) (dec.textContent = "Decommission", delete dec.dataset.armed);
}

async function describeCurrent(): Promise<void> {
  if (!current) return;
  const d = current;
  byId("session-device").textContent = `device ${d.id} · ${d.status} · ${d.board || "board ?"} · ${d.label || "no label"} · epoch ${d.epoch} · identity ${short(d.identityPublic)}`;
}

async function selectDevice(id: string): Promise<void> {
  if (session && !session.closed) session.close();
  session = null;
  current = await records.get(id);
  byId("session-log").replaceChildren();
  show(byId("session-error"), false);
  show(byId("audit"), false);
  await describeCurrent();
  showScreen("session");
  sessionButtons();
}

/** Runs one session action with the buttons held, its failure shown. */
async function act(fn: (s: Session, rec: DeviceRecord) => Promise<void>): Promise<void> {
  if (busy || !session || !current) return;
  busy = true;
  show(byId("session-error"), false);
  sessionButtons();
  try {
    await fn(session, current);
  } catch (e) {
    showError(byId("session-error"), e);
    if (session.closed) log("session ended", "muted");
  } finally {
    busy = false;
    current = await records.get(current.id);
    await describeCurrent();
    sessionButtons();
  }
}

async function openClicked(): Promise<void> {
  if (busy || !current) return;
  busy = true;
  show(byId("session-error"), false);
  sessionButtons();
  let t: FrameTransport | null = null;
  try {
    const rec = await sessionRecord(records, current.id);
    log(`connecting (${transportKind()}) …`);
    t = await connect(transportKind(), deviceAddress());
    const link = t;
    const r = await identity.use((kp) =>
      openRecordedSession(link, {
        record: rec,
        identity: kp,
        records,
        onOpen: (s, ms) => log(`session open with ${rec.id} (Noise KK, ${Math.round(ms)} ms): handshake hash ${short(toHex(s.handshakeHash))}`),
      }),
    );
    session = r.session;
    log(r.seen.auditSeq >= 0
      ? `rollback check: audit sequence ${r.seen.auditSeq}${r.seen.storeGeneration >= 0 ? ", store key generation " + r.seen.storeGeneration : ""}, not below the marks this browser recorded`
      : "rollback check: the device keeps no audit trail yet");
  } catch (e) {
    t?.close();
    showError(byId("session-error"), e);
  } finally {
    busy = false;
    current = await records.get(current.id);
    await describeCurrent();
    sessionButtons();
  }
}

async function echoClicked(): Promise<void> {
  await act(async (s) => {
    const text = byId<HTMLInputElement>("echo-text").value;
    const t0 = performance.now();
    const back = utf8Decode(await s.echo(utf8Encode(text)));
    log(`→ ECHO ${JSON.stringify(text)}   ← ${JSON.stringify(back)}   (${Math.round(performance.now() - t0)} ms, counters ${s.sendCounter}/${s.receiveCounter})`);
  });
}

async function auditClicked(): Promise<void> {
  await act(async (s, rec) => {
    const report = await s.readAudit(0);
    const table = byId("audit");
    table.querySelector("tbody")!.replaceChildren(
      ...report.entries.map((e) => h("tr", {}, h("td", {}, String(e.seq)), h("td", {}, String(e.boot)), h("td", {}, `+${e.seconds} s`), h("td", {}, auditEventName(e.event)), h("td", { class: "mono" }, toHex(e.detail)))),
    );
    show(table, report.entries.length > 0);
    const verdict = report.verdict === "ok" ? "the device verified its chain (ok)" : report.verdict === "none" ? "the device keeps no trail" : `the device found its chain ${report.verdict}${report.firstBad >= 0 ? " at entry " + report.firstBad : ""}`;
    log(`audit trail: ${report.entries.length} entries, highest sequence number ${report.highestSeq}; ${verdict}`, report.verdict === "ok" || report.verdict === "none" ? "" : "bad");
    if (report.gap) log(`audit gap: entries ${report.gap.from} … ${report.gap.first - 1} are not on the device any more`, "bad");
    // Continuity with what this browser saw before (docs/flash-format.md §8): the trail from the
    // recorded mark on must start with the very entry recorded there; then the marks move up.
    const mark = rec.auditSeqHigh;
    const fromMark = mark < 0 ? report : { ...report, entries: report.entries.filter((e) => e.seq >= mark) };
    const seen = observedIn(fromMark, mark, rec.auditEntryHigh, rec.storeGenerationHigh);
    try {
      await records.observe(rec.id, seen);
    } catch (e) {
      throw new CommissionerError("DEVICE_ROLLBACK", (e as Error).message);
    }
    log(rec.auditSeqHigh >= 0 ? `continuity: entry #${rec.auditSeqHigh} is the one recorded before, and the trail goes on from it` : "continuity: nothing recorded before; this read sets the mark");
  });
}

async function rotateClicked(): Promise<void> {
  await act(async (s, rec) => {
    const r = await rotateRecordedIdentity(s, records, rec.id, { onGenerated: (hex) => log(`identity rotation: the device generated ${short(hex)}; confirming`) });
    log(`identity rotated: epoch ${r.epoch}, identity ${short(r.identityPublic)}; the old key is destroyed on the device`);
  });
}

async function rotateStorageClicked(): Promise<void> {
  await act(async (s) => {
    await s.rotateStorage();
    log("storage key rotated: the device re-sealed every stored record under a new key");
  });
}

async function decommissionClicked(): Promise<void> {
  const btn = byId<HTMLButtonElement>("decommission-btn");
  if (!btn.dataset.armed) {
    btn.dataset.armed = "1";
    btn.textContent = "Really decommission? The device shreds its keys";
    return;
  }
  await act(async (s, rec) => {
    await decommissionRecorded(s, records, rec.id);
    log(`decommissioned: the device shredded its credentials; ${rec.id} is recorded as decommissioned`, "done");
  });
}

// ---------------------------------------------------------------------------------------------
// Start

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const ws = byId<HTMLInputElement>("ws-url");
  ws.value = params.get("device") ?? localStorage.getItem("firstlight.device") ?? "";
  ws.onchange = () => localStorage.setItem("firstlight.device", ws.value.trim());
  // Another transport picked: the next connect asks the browser's chooser again.
  for (const r of document.querySelectorAll<HTMLInputElement>("input[name=transport]")) r.onchange = () => forgetChoice();
  for (const b of document.querySelectorAll<HTMLButtonElement>("nav .tab")) b.onclick = () => showScreen(b.dataset.screen!);
  byId("pair-btn").onclick = () => void pairClicked();
  byId("scan-btn").onclick = () => void scanClicked();
  byId<HTMLInputElement>("qr-file").onchange = (ev) => void fileChosen(ev.target as HTMLInputElement);
  byId("session-open").onclick = () => void openClicked();
  byId("session-close").onclick = () => {
    session?.close();
    log("session closed");
    sessionButtons();
  };
  byId("echo-btn").onclick = () => void echoClicked();
  byId("audit-btn").onclick = () => void auditClicked();
  byId("rotate-btn").onclick = () => void rotateClicked();
  byId("rotate-storage-btn").onclick = () => void rotateStorageClicked();
  byId("decommission-btn").onclick = () => void decommissionClicked();
  if (!globalThis.indexedDB || !globalThis.crypto?.subtle) {
    byId("identity").textContent = "this browser gives this page no IndexedDB or WebCrypto (a private window, or a page not on https/localhost): nothing can be kept";
    document.body.dataset.ready = "no-storage";
    return;
  }
  const db = await openDatabase(indexedDB);
  records = new RuleStore(idbBackend(db));
  identity = await loadOrCreateIdentity(db, crypto.subtle);
  byId("identity").textContent = `this browser's commissioner key ${short(identity.publicKey)} · ${identity.created ? "created now" : "since " + identity.createdAt.slice(0, 10)} · kept sealed in IndexedDB`;
  await renderDevices();
  document.body.dataset.ready = "yes";
}

start().catch((e) => {
  byId("identity").textContent = "the commissioner could not start: " + (e as Error).message;
  document.body.dataset.ready = "failed";
});
