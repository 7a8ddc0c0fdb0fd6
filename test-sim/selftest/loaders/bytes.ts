/** Vectors for the byte helpers, computed with Node's own UTF-8 encoder (an independent implementation). */
export default function load(): unknown {
  const strings = ["", "a", "firstlight", "é", "€", "日本語", "\u{1F511} key", "\u0000\u007f\u0080\u07ff\u0800\uffff"];
  return {
    utf8: strings.map((s) => ({ s, hex: Buffer.from(s, "utf8").toString("hex") })),
    badUtf8: ["80", "c0af", "e08080", "eda080", "f4908080", "c3", "e282", "f8888080"],
  };
}
