/**
 * Reading a label's QR code: from the camera (getUserMedia, frames drawn on a canvas and handed to
 * jsQR until one decodes) or from an image file. jsQR is loaded on first use, so the page itself
 * stays small (tools/web/build.node.ts splits it into its own file).
 */
async function decoder(): Promise<(data: Uint8ClampedArray, w: number, h: number) => { data: string } | null> {
  const m = await import("jsqr");
  const f = (m as unknown as { default: unknown }).default ?? m;
  return f as (data: Uint8ClampedArray, w: number, h: number) => { data: string } | null;
}

function decodeCanvas(jsQR: Awaited<ReturnType<typeof decoder>>, ctx: CanvasRenderingContext2D, w: number, h: number): string | null {
  const img = ctx.getImageData(0, 0, w, h);
  return jsQR(img.data, w, h)?.data ?? null;
}

/** Decodes a QR code from an image file; null when none is found. */
export async function decodeImageFile(file: Blob): Promise<string | null> {
  const jsQR = await decoder();
  const bmp = await createImageBitmap(file);
  const canvas = document.createElement("canvas");
  canvas.width = bmp.width;
  canvas.height = bmp.height;
  const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
  ctx.drawImage(bmp, 0, 0);
  return decodeCanvas(jsQR, ctx, bmp.width, bmp.height);
}

export interface Scan {
  /** Resolves with the first QR payload seen. */
  result: Promise<string>;
  stop(): void;
}

/** Scans with the camera into `video` until a QR code decodes or stop() (which rejects CANCELLED). */
export function scanWithCamera(video: HTMLVideoElement): Scan {
  let stopped = false, stream: MediaStream | null = null, fail: (e: Error) => void = () => {};
  const end = () => {
    stopped = true;
    stream?.getTracks().forEach((t) => t.stop());
    video.srcObject = null;
  };
  const result = new Promise<string>((resolve, reject) => {
    fail = reject;
    void (async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error("this browser gives no camera to this page (camera access needs https or localhost)"), { code: "NO_SUPPORT" });
      const jsQR = await decoder();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      if (stopped) return end();
      video.srcObject = stream;
      await video.play();
      const canvas = document.createElement("canvas");
      const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
      const tick = () => {
        if (stopped) return;
        const w = video.videoWidth, h = video.videoHeight;
        if (w && h) {
          canvas.width = w;
          canvas.height = h;
          ctx.drawImage(video, 0, 0, w, h);
          const text = decodeCanvas(jsQR, ctx, w, h);
          if (text !== null) {
            end();
            resolve(text);
            return;
          }
        }
        setTimeout(tick, 120);
      };
      tick();
    })().catch((e) => {
      end();
      reject(e);
    });
  });
  return {
    result,
    stop: () => {
      if (stopped) return;
      end();
      fail(Object.assign(new Error("scan stopped"), { code: "CANCELLED" }));
    },
  };
}
