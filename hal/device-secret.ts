/**
 * A device-unique hardware secret (ESP32 eFuse HMAC key, nRF/STM32 hardware unique key, …),
 * readable only by firmware. Boards without one have no DeviceSecret and generate a storage root
 * at first boot instead (see docs/flash-format.md).
 */
export interface DeviceSecret {
  /** 32 secret bytes, the same on every boot of this device. The caller wipes its copy. */
  read(): Uint8Array;
}
