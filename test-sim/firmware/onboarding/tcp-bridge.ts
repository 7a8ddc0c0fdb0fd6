/** The simulated device bridged to real TCP, for the commissioner CLI (which dials tcp://HOST:PORT). */
import net from "node:net";
import { createLinkPair } from "../../../hal/sim/link.ts";
import type { World } from "./harness.ts";

/** A TCP server whose every connection becomes a link to the device. */
export async function bridge(w: World): Promise<{ url: string; close: () => Promise<void> }> {
  const socks = new Set<net.Socket>();
  const s = net.createServer((sock) => {
    socks.add(sock);
    const [c, d] = createLinkPair();
    c.onReceive((chunk) => void sock.write(Buffer.from(chunk)));
    c.onClose(() => sock.end());
    sock.on("data", (b) => {
      c.send(new Uint8Array(b));
      w.pump();
    });
    sock.on("close", () => {
      socks.delete(sock);
      c.close();
      w.pump();
    });
    sock.on("error", () => {});
    w.hal.connect(d);
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  return {
    url: `tcp://127.0.0.1:${port}`,
    close: () => new Promise((r) => {
      for (const k of socks) k.destroy();
      s.close(() => r());
    }),
  };
}

/** Until the device has seen the last link close (its conversation ended). */
export async function settled(w: World): Promise<void> {
  for (let i = 0; i < 200 && w.device.state() === "session"; i++) await new Promise((r) => setTimeout(r, 5));
}
