/** The store suite needs no third-party vectors: only the geometry and the sweep's bounds. */
export default function load(): unknown {
  return { pageSize: 512, pageCount: 4, writeSize: 4, torn: ["none", "prefix", "random-bits"], gcModes: ["none", "random-bits"] };
}
