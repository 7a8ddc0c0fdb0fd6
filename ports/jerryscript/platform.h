/*
 * The platform interface: everything the binding (binding/, JerryScript values <-> C) asks of the
 * board. The host implements it in posix/; a Zephyr or nRF5 SDK port implements the same
 * functions in its own folder and links the same binding/ files (docs/boards.md, "A JerryScript
 * platform"). All calls are made from the single thread that runs the engine.
 */
#ifndef FIRSTLIGHT_PLATFORM_H
#define FIRSTLIGHT_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* The binding's closed error set (hal/errors.ts); FL_OK is "no error". */
typedef enum {
  FL_OK = 0,
  FL_ERR_BUSY,
  FL_ERR_FAIL,
  FL_ERR_SIZE,
  FL_ERR_ALIGN,
  FL_ERR_BITS,
  FL_ERR_OFF,
  FL_ERR_CLOSED
} fl_status;

/* What the platform hands the binding at boot. */
typedef struct {
  const uint32_t *snapshot;   /* the device image as a static JerryScript snapshot (run in place) */
  size_t snapshot_bytes;
  const uint8_t *literals;    /* its string literals (binding/literals.h; stays mapped) */
  size_t literals_bytes;
  const char *board_json;     /* the board file (boards/NAME.json) the image assembles its Hal from */
  const char *setup_code;     /* the 8 digits printed on the device */
  uint32_t window_ms;         /* 0: the firmware's default */
  size_t heap_bytes;          /* the JerryScript heap */
} fl_boot_config;

/* ---- events: the loop blocks in fl_wait_event until one arrives or the deadline passes ---- */

typedef enum {
  FL_EV_NONE = 0,
  FL_EV_EDGE,        /* a watched pin changed: pin, level, time_us */
  FL_EV_LINK_UP,     /* a commissioner connected */
  FL_EV_LINK_DOWN,   /* it went (or fl_link_close was called) */
  FL_EV_LINK_DATA,   /* bytes arrived: data, length (valid until the next fl_wait_event) */
  FL_EV_REPORT       /* the test harness asks for a status report (host only; boards never send it) */
} fl_event_kind;

#define FL_PIN_NAME_MAX 16

typedef struct {
  fl_event_kind kind;
  char pin[FL_PIN_NAME_MAX];
  int level;
  double time_us;
  const uint8_t *data;
  size_t length;
} fl_event;

/* Blocks until an event (returns 1, *ev filled) or until now_us() >= deadline_us (returns 0).
 * deadline_us < 0: no deadline. */
int fl_wait_event(double deadline_us, fl_event *ev);

/* ---- clock ---- */
/* Monotonic microseconds since boot; never wraps, never goes back. */
double fl_now_us(void);

/* ---- TRNG ---- */
/* n (1 ... 256) raw bytes from the hardware RNG; FL_OK or FL_ERR_FAIL on a hardware fault. */
fl_status fl_trng_read(uint8_t *out, size_t n);

/* ---- NOR flash: the firstlight area only, addressed from 0 ---- */
void fl_flash_geometry(uint32_t *page_size, uint32_t *page_count, uint32_t *write_size);
/* Copies len bytes at addr; FL_ERR_SIZE when outside the area. */
fl_status fl_flash_read(uint32_t addr, uint8_t *out, size_t len);
/* ANDs bytes into the area (NOR programming); refuses anything outside the area or misaligned. */
fl_status fl_flash_program(uint32_t addr, const uint8_t *bytes, size_t len);
/* Sets one page to 0xFF. */
fl_status fl_flash_erase(uint32_t page);

/* ---- pins: names in the board file's naming (P0.11) ---- */
/* Starts reporting edges of pin as FL_EV_EDGE; FL_ERR_OFF for a pin the board does not have. */
fl_status fl_pin_watch(const char *pin);
void fl_pin_unwatch(const char *pin);
void fl_pin_write(const char *pin, int level);

/* ---- the link to the commissioner (TCP on the host, BLE or UART on a board) ---- */
/* Queues bytes (copied); FL_ERR_CLOSED without a peer, FL_ERR_BUSY when the queue is full. */
fl_status fl_link_send(const uint8_t *bytes, size_t n);
/* Drops the current connection; an FL_EV_LINK_DOWN follows. */
void fl_link_close(void);

/* ---- device secret ---- */
/* 32 secret bytes into out: FL_OK, or FL_ERR_OFF where the board has none. */
fl_status fl_device_secret(uint8_t out[32]);

/* ---- system ---- */
/* Resets the chip; does not return. */
void fl_reboot(void);
/* One line of the firmware's log (no newline). */
void fl_log_line(const char *line, size_t n);
/* A line for the test harness (status reports, heap figures); boards may drop it. */
void fl_report_line(const char *line);

#endif
