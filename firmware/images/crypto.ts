/** The crypto core alone (size target: ≤ 16 KB minified). Global: `firstlight.crypto`. */
import { cryptoApi } from "../crypto/index";

declare var firstlight: unknown; // the build's banner declares it: `var firstlight;`
firstlight = { version: "0.1.0", crypto: cryptoApi };
