/**
 * `npm run web`: builds the web commissioner (tools/web/build.node.ts) and serves dist/web/ on
 * http://127.0.0.1:PORT/ (a loopback address: Web Serial, Web Bluetooth and the camera need a
 * secure context, which loopback is). `npm run web -- --build` builds the static files and exits.
 *
 *   tsx tools/web/serve.node.ts [--port N] [--build] [--out DIR]
 *
 * Port 8080 by default; when it is taken, the next free one up to 8099, then any.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { buildWeb, describeBuild, WEB_OUT } from "./build.node.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** A static file server for `root`: GET and HEAD, no directory listing, nothing outside root. */
export function staticServer(root: string): Server {
  return createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      res.writeHead(400).end("bad path");
      return;
    }
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile() || !(extname(file) in TYPES)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)],
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      // The <meta> CSP of index.html cannot carry frame-ancestors: only a header keeps other sites
      // from framing the page and steering clicks on Pair, Rotate or Decommission.
      "content-security-policy": "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; frame-ancestors 'none'",
      "x-frame-options": "DENY",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(e);
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      const a = server.address();
      resolve(typeof a === "object" && a ? a.port : port);
    });
  });
}

/** Listens on `port`, or when it is taken and was not asked for, on the next free one. */
export async function listenFirstFree(server: Server, port: number, asked: boolean): Promise<number> {
  const tries = asked ? [port] : [...Array.from({ length: 20 }, (_, i) => port + i), 0];
  for (const p of tries) {
    try {
      return await listen(server, p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE" || p === tries[tries.length - 1]) throw e;
    }
  }
  throw new Error("no free port");
}

async function main(argv: string[]): Promise<number> {
  let port = 8080, asked = false, buildOnly = false, out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--port") {
      port = Number(argv[++i]);
      asked = true;
      if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
        console.error("web: --port is 0 … 65535");
        return 2;
      }
    } else if (a === "--build") buildOnly = true;
    else if (a === "--out" && i + 1 < argv.length) out = argv[++i];
    else if (a === "-h" || a === "--help") {
      console.log("usage: npm run web [-- --port N]   builds and serves the web commissioner on http://127.0.0.1:N/ (8080 or the next free port)\n       npm run web -- --build [--out DIR]   builds the static files only (dist/web/)");
      return 0;
    } else {
      console.error(`web: unknown argument ${JSON.stringify(a)}`);
      return 2;
    }
  }
  const b = await buildWeb({ out });
  console.log(describeBuild(b));
  if (buildOnly) return 0;
  const server = staticServer(b.out ?? WEB_OUT);
  const p = await listenFirstFree(server, port, asked);
  console.log(`web commissioner on http://127.0.0.1:${p}/  (Chrome or Edge; with \`npm start -- --serve\` running, enter the ws:// address it prints, or open http://127.0.0.1:${p}/?device=ws://127.0.0.1:WSPORT)`);
  console.log("Ctrl-C stops it");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await new Promise<void>((r) => server.close(() => r()));
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error("web: failed: " + (e as Error).message);
      process.exit(1);
    },
  );
}
