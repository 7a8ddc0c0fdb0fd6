/** The `bounds` suite needs no third-party vectors: only the flash geometry of its store check. */
export default function load(): unknown {
  return { pageSize: 512, pageCount: 4 };
}
