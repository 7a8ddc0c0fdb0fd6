/** The entropy scenario suite needs no third-party vectors: only the SP 800-90B cutoff table (FIELD-NOTES.md). */
export default function load(): unknown {
  // [H, RCT cutoff, APT cutoff at W = 512]
  return { cutoffs: [[0.5, 81, 432], [1, 41, 336], [2, 21, 201], [4, 11, 78], [8, 6, 19]] };
}
