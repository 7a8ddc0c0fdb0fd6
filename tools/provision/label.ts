/**
 * A device's label (docs/setup-payload.md "The label"): the setup code in digits, grouped
 * `2020-2021`, and a QR code of the setup payload, written by the `qrcode` library at error
 * correction level M (the 13-character payload fits a version-1 symbol, 21 × 21 modules).
 *
 *   ID.svg      the label: the QR code above the code in digits (vector, for the printer)
 *   ID.png      the QR code alone, 8 pixels a module with the 4-module quiet zone
 *   ID.txt      the same in words: code, payload, discriminator, board
 */
import QRCode from "qrcode";

export const QR_OPTIONS = { errorCorrectionLevel: "M" as const, margin: 4 };
export const PNG_SCALE = 8;

/** "20202021" → "2020-2021", the form printed under the QR code (the CLIs accept it as typed). */
export function groupCode(code: string): string {
  return code.slice(0, 4) + "-" + code.slice(4);
}

/** The label as SVG: the library's QR code nested in a 200 × 250 label, the grouped code under it. */
export async function labelSvg(payload: string, code: string): Promise<string> {
  const qr = await QRCode.toString(payload, { ...QR_OPTIONS, type: "svg" });
  const nested = qr.replace(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /, '<svg x="0" y="0" width="200" height="200" ');
  if (nested === qr) throw new Error("the qrcode library's SVG did not start as expected: cannot nest it in the label");
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 250" width="200" height="250">',
    '<rect width="200" height="250" fill="#ffffff"/>',
    nested,
    `<text x="100" y="232" font-family="monospace" font-size="30" text-anchor="middle" fill="#000000">${groupCode(code)}</text>`,
    "</svg>",
    "",
  ].join("\n");
}

export function labelPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { ...QR_OPTIONS, type: "png", scale: PNG_SCALE });
}

export function labelText(o: { id: string; board: string; code: string; payload: string; discriminator: number }): string {
  return [
    `device         ${o.id} (board ${o.board})`,
    `setup code     ${groupCode(o.code)}`,
    `setup payload  ${o.payload}`,
    `discriminator  ${o.discriminator}`,
    "",
  ].join("\n");
}
