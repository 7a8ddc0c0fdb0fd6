/** Reads the third-party vectors the commissioner tests use (../shared/vectors, see SOURCES.md). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../build/paths.ts";

export function readVectorJson<T = any>(...path: string[]): T {
  return JSON.parse(readFileSync(join(VECTORS, ...path), "utf8")) as T;
}

export interface NoiseVector {
  protocol_name: string;
  init_prologue: string;
  init_psks?: string[];
  init_static?: string;
  init_ephemeral: string;
  init_remote_static?: string;
  resp_prologue: string;
  resp_psks?: string[];
  resp_static?: string;
  resp_ephemeral?: string;
  resp_remote_static?: string;
  handshake_hash?: string;
  messages: { payload: string; ciphertext: string }[];
}
