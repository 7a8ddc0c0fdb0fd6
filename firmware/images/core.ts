/**
 * Everything board-independent: the crypto core and the firmware modules built on it.
 * Board images add a HAL driver and a main loop on top of this. Global: `firstlight`.
 */
import { cryptoApi } from "../crypto/index";
import { entropyApi } from "../entropy/index";
import { noiseApi } from "../protocol/noise/index";
import { cpaceApi } from "../protocol/cpace/index";
import { storeApi } from "../store/index";

declare var firstlight: unknown; // the build's banner declares it: `var firstlight;`
firstlight = { version: "0.1.0", crypto: cryptoApi };
(firstlight as { entropy?: unknown }).entropy = entropyApi;
(firstlight as { protocol?: unknown }).protocol = { noise: noiseApi, cpace: cpaceApi };
(firstlight as { store?: unknown }).store = storeApi;
