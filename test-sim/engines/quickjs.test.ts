import { defineSelftests } from "./selftest.ts";
import { runQuickJs } from "./quickjs.ts";

// The self-tests carry their vectors in the heap, so they run with room to spare; the board-like
// memory floor of the image itself is proven in quickjs-memory.test.ts.
defineSelftests("quickjs", (_file, code) => runQuickJs([code], { memoryLimit: 256 << 20 }));
