/**
 * The commissioner's link over TCP with require("net"): a server on the board file's `link.port`,
 * one Link per accepted connection (the firmware answers a second one with ERROR BUSY). The same
 * driver serves ESP32-class boards on Wi-Fi and the Linux build on the host. Bytes go out as a
 * string of bytes (E.toString: socket.write takes strings); 'data' strings come back as bytes
 * through the serial link of hal/espruino/link.ts. Closing ends the socket; the socket's 'close'
 * event (peer gone, or our own end) closes the link. ES5.
 */
import type { EspruinoEnv, EspruinoNetModule, EspruinoSerial, EspruinoSocket } from "./espruino-globals";
import { espruinoLink, type EspruinoLink } from "./link";

export interface EspruinoLinkServer {
  /** Starts accepting; `onLink` gets every new link. */
  start(onLink: (link: EspruinoLink) => void): void;
}

export function netLinkServer(env: EspruinoEnv, net: EspruinoNetModule, port: number): EspruinoLinkServer {
  if (!(port >= 1 && port <= 65535) || port % 1) throw new Error("link: TCP port must be 1…65535, got " + port);
  return {
    start: function (onLink: (link: EspruinoLink) => void): void {
      net
        .createServer(function (socket: EspruinoSocket) {
          var device: EspruinoSerial = {
            write: function (data: string | Uint8Array): void {
              socket.write(typeof data === "string" ? data : env.E.toString(data));
            },
            on: function (event: "data", fn: (data: string) => void): void {
              socket.on(event, fn);
            },
            removeListener: function (event: "data", fn: (data: string) => void): void {
              socket.removeListener(event, fn);
            },
          };
          var link = espruinoLink(env, device, function () {
            socket.end();
          });
          socket.on("close", function () {
            link.peerClosed();
          });
          onLink(link);
        })
        .listen(port);
    },
  };
}
