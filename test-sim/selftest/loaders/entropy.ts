/** The entropy scenario suite needs no third-party vectors: only the SP 800-90B cutoff table (FIELD-NOTES.md). */
export default function load(): unknown {
  // [H, RCT cutoff, APT cutoff at W = 512]
  return { cutoffs: [[0.5, 41, 410], [1, 21, 311], [2, 11, 177], [4, 6, 62], [8, 4, 13]] };
}
