/** The status LED (polarity applied by the driver). */
export interface Led {
  set(on: boolean): void;
}
