/**
 * The closed set of errors a HAL driver reports. Drivers never throw across the HAL boundary:
 * synchronous calls return a `HalError` (or null for success); split-phase calls pass it to
 * their callback. (A simulated power cut is not an error: it stops the device, see hal/sim.)
 */
export type HalError =
  | "BUSY" // the hardware is in use; try again later
  | "FAIL" // the operation failed (hardware fault, health test of a raw source, …)
  | "SIZE" // a length or address outside what the hardware supports
  | "ALIGN" // an address or length not a multiple of the write granularity
  | "BITS" // a NOR program that would have to turn a 0 bit back into 1
  | "OFF" // the peripheral is absent or powered down
  | "CLOSED"; // the link to the commissioner has closed

/** Split-phase completion: `err` is null on success. */
export type Done<T> = (err: HalError | null, value?: T) => void;
