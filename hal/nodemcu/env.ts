/** NodeMCU's module tables, read from the globals where the firmware puts them. ES5 / Lua. */
import type { NodeMcuEnv, NodeMcuFileModule, NodeMcuGpio, NodeMcuNet, NodeMcuNode, NodeMcuTmr, NodeMcuWifi } from "./nodemcu-modules";

declare var node: NodeMcuNode;
declare var file: NodeMcuFileModule;
declare var gpio: NodeMcuGpio;
declare var tmr: NodeMcuTmr;
declare var net: NodeMcuNet;
declare var wifi: NodeMcuWifi;
declare function print(this: void, line: string): void;

export function nodemcuGlobals(): NodeMcuEnv {
  return { node: node, file: file, gpio: gpio, tmr: tmr, net: net, wifi: wifi, print: print };
}
