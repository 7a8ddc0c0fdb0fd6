/** `npm run selftest`: the built images' self-test of every suite on Node, Duktape and QuickJS, as a table. */
import { selftestReport } from "../selftest-report.ts";

console.log("firstlight: the built images' self-test on Node, Duktape and QuickJS\n");
selftestReport().then((ok) => process.exit(ok ? 0 : 1));
