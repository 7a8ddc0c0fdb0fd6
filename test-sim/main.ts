/**
 * The main job. Until the onboarding simulator lands, it builds the images and runs the self-test
 * of every suite on every engine with a readable report.
 */
import { selftestReport } from "./selftest-report.ts";

console.log("firstlight: the built images' self-test on Node, Duktape and QuickJS\n");
selftestReport().then((ok) => process.exit(ok ? 0 : 1));
