/** commissioner/conversation.ts: ERROR frames from the peer are unauthenticated text, shown safely. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { concatBytes, utf8Encode } from "../../commissioner/bytes.ts";
import { parseErrorFrame } from "../../commissioner/conversation.ts";

test("conversation: an ERROR detail reaches the operator without C0, DEL or C1 control characters", () => {
  // ESC [2J, an OSC title, a C1 CSI (U+009B, two bytes of UTF-8), a bare CR and DEL.
  const detail = "\x1b[2J\x1b]0;t\x07\u009b31m\r\x7fok";
  const e = parseErrorFrame(concatBytes(Uint8Array.of(7), utf8Encode(detail)));
  assert.equal(e.code, "PROTOCOL");
  assert.equal(e.detail, "?[2J?]0;t??31m??ok");
  assert.doesNotMatch(e.message, /[\u0000-\u001f\u007f-\u009f]/);
});
