/**
 * Reads a label's QR code back, as a phone would: the PNG through pngjs + jsQR, the SVG by drawing
 * the qrcode library's module path (rows of "h" runs) into pixels and handing those to jsQR.
 */
import jsQR from "jsqr";
import { PNG } from "pngjs";

export function readQrPng(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height)?.data ?? null;
}

/** The nested QR code of a label SVG (tools/provision/label.ts) drawn at `scale` pixels a module. */
export function readQrSvg(svg: string, scale = 8): string | null {
  const box = /<svg x="0" y="0" width="\d+" height="\d+" viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg);
  if (!box || !path) return null;
  const n = Number(box[1]);
  const dark = new Uint8Array(n * n);
  let x = 0, y = 0;
  for (const m of path[1].matchAll(/([MmhHvV])([-0-9. ]+)/g)) {
    const v = m[2].trim().split(/[ ,]+/).map(Number);
    if (m[1] === "M") [x, y] = [v[0], v[1]];
    else if (m[1] === "m") [x, y] = [x + v[0], y + v[1]];
    else if (m[1] === "h") {
      for (let i = 0; i < v[0]; i++) dark[Math.floor(y) * n + x + i] = 1;
      x += v[0];
    } else throw new Error(`path command ${m[1]} not drawn by this reader`);
  }
  const w = n * scale, rgba = new Uint8ClampedArray(w * w * 4);
  for (let py = 0; py < w; py++)
    for (let px = 0; px < w; px++) {
      const c = dark[Math.floor(py / scale) * n + Math.floor(px / scale)] ? 0 : 255, o = (py * w + px) * 4;
      rgba[o] = rgba[o + 1] = rgba[o + 2] = c;
      rgba[o + 3] = 255;
    }
  return jsQR(rgba, w, w)?.data ?? null;
}
