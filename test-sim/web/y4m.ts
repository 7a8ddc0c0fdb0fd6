/**
 * A QR code as a Y4M video (YUV4MPEG2, 4:2:0): what headless Chromium's fake camera plays
 * (--use-file-for-fake-video-capture), so the browser test scans a label through the real
 * getUserMedia → canvas → jsQR path.
 */
import QRCode from "qrcode";

export function qrY4m(text: string, o: { width?: number; height?: number; frames?: number } = {}): Buffer {
  const W = o.width ?? 480, H = o.height ?? 360, frames = o.frames ?? 2;
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size, quiet = 4;
  const scale = Math.floor(Math.min(W, H) / (n + 2 * quiet));
  const x0 = Math.floor((W - n * scale) / 2), y0 = Math.floor((H - n * scale) / 2);
  const y = Buffer.alloc(W * H, 235);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) y.fill(16, (y0 + r * scale + dy) * W + x0 + c * scale, (y0 + r * scale + dy) * W + x0 + (c + 1) * scale);
    }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: frames }, () => frame)]);
}
