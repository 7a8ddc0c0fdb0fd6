/**
 * The commissioning button: raw edges with timestamps. Debouncing and press classification
 * (short press, long press) are firmware's job, so every board behaves the same.
 */
export interface Button {
  /** Starts delivering edges: `pressed` is the logical level (polarity already applied), `timeMs` on the Clock's timeline. */
  watch(onEdge: (pressed: boolean, timeMs: number) => void): void;
  /** Stops delivering edges. */
  unwatch(): void;
}
