/**
 * The registrar's registry (registrar/registry.ts) seen as the commissioner's DeviceRecords: the Node
 * CLI's store. Every call passes through; the registry keeps its own rules and audit chain.
 */
import type { Registry } from "../registrar/registry.ts";
import type { DeviceRecords } from "./device-records.ts";

export function registryRecords(registry: Registry): DeviceRecords {
  return {
    add: async (hex, info) => registry.add(hex, info),
    get: async (id) => registry.get(id),
    list: async () => registry.list(),
    beginRotation: async (id) => registry.beginRotation(id),
    confirmRotation: async (id, hex) => registry.confirmRotation(id, hex),
    setStatus: async (id, status, reason) => registry.setStatus(id, status, reason),
    observe: async (id, seen) => registry.observe(id, seen),
  };
}
