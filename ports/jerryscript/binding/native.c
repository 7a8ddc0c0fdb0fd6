/* The firstlight_native functions (native.h). Each checks its arguments first and throws a
 * TypeError with code NATIVE_BAD_ARGUMENT naming the argument; platform errors are returned as the
 * NativeError strings, never thrown. */
#include <string.h>
#include "accel.h"
#include "native.h"
#include "timers.h"
#include "values.h"
#include "watches.h"

#define HANDLER(name) static jerry_value_t name(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc)
#define UNUSED_INFO (void) info

static jerry_value_t link_receiver;  /* 0 until linkOnReceive */
static jerry_value_t link_state;     /* 0 until linkOnState */
static int have_receiver, have_state;

static jerry_value_t bad_argument(const char *message) {
  return fl_throw(JERRY_ERROR_TYPE, FL_CODE_BAD_ARGUMENT, message);
}

HANDLER(trng_read) {
  UNUSED_INFO;
  uint32_t n;
  uint8_t buf[256];
  if (!fl_arg_uint(args, argc, 0, 1, 256, &n)) return bad_argument("trngRead(n): n is an integer 1 ... 256");
  if (fl_trng_read(buf, n) != FL_OK) return jerry_null();
  jerry_value_t bytes = fl_new_bytes(buf, n);
  memset(buf, 0, sizeof buf);
  return bytes;
}

HANDLER(flash_info) {
  UNUSED_INFO;
  (void) args;
  (void) argc;
  uint32_t page_size, page_count, write_size;
  fl_flash_geometry(&page_size, &page_count, &write_size);
  jerry_value_t info_array = jerry_array(3);
  jerry_value_free(jerry_object_set_index(info_array, 0, jerry_number(page_size)));
  jerry_value_free(jerry_object_set_index(info_array, 1, jerry_number(page_count)));
  jerry_value_free(jerry_object_set_index(info_array, 2, jerry_number(write_size)));
  return info_array;
}

static uint32_t area_bytes(void) {
  uint32_t page_size, page_count, write_size;
  fl_flash_geometry(&page_size, &page_count, &write_size);
  return page_size * page_count;
}

HANDLER(flash_read) {
  UNUSED_INFO;
  uint32_t addr, len;
  uint32_t size = area_bytes();
  if (!fl_arg_uint(args, argc, 0, 0, 4294967295.0, &addr) || !fl_arg_uint(args, argc, 1, 0, 4294967295.0, &len))
    return bad_argument("flashRead(addr, len): both are non-negative integers");
  if (addr > size || len > size - addr) return jerry_null();
  jerry_value_t bytes = jerry_typedarray(JERRY_TYPEDARRAY_UINT8, len);
  if (jerry_value_is_exception(bytes) || len == 0) return bytes;
  jerry_size_t offset = 0, n = 0;
  jerry_value_t buffer = jerry_typedarray_buffer(bytes, &offset, &n);
  uint8_t *data = jerry_arraybuffer_data(buffer);
  jerry_value_free(buffer);
  if (data == NULL || fl_flash_read(addr, data + offset, len) != FL_OK) {
    jerry_value_free(bytes);
    return jerry_null();
  }
  return bytes;
}

HANDLER(flash_program) {
  UNUSED_INFO;
  uint32_t addr;
  size_t n;
  if (!fl_arg_uint(args, argc, 0, 0, 4294967295.0, &addr)) return bad_argument("flashProgram(addr, bytes): addr is a non-negative integer");
  uint8_t *bytes = fl_arg_bytes(args, argc, 1, &n);
  if (bytes == NULL) return bad_argument("flashProgram(addr, bytes): bytes is a Uint8Array");
  return fl_status_value(fl_flash_program(addr, bytes, n));
}

HANDLER(flash_erase) {
  UNUSED_INFO;
  uint32_t page;
  if (!fl_arg_uint(args, argc, 0, 0, 4294967295.0, &page)) return bad_argument("flashErase(page): page is a non-negative integer");
  return fl_status_value(fl_flash_erase(page));
}

HANDLER(pin_watch) {
  UNUSED_INFO;
  char pin[FL_PIN_NAME_MAX];
  fl_status status;
  if (!fl_arg_string(args, argc, 0, pin, sizeof pin)) return bad_argument("pinWatch(pin, cb): pin is a pin name of at most 15 bytes");
  if (!fl_arg_function(args, argc, 1)) return bad_argument("pinWatch(pin, cb): cb is a function");
  uint32_t id = fl_watch_add(pin, args[1], &status);
  if (status != FL_OK) return fl_throw(JERRY_ERROR_RANGE, "NATIVE_NO_PIN", "pinWatch: this board has no such pin");
  if (id == 0) return fl_throw(JERRY_ERROR_RANGE, "NATIVE_FULL", "pinWatch: every watch slot is in use");
  return jerry_number(id);
}

HANDLER(pin_unwatch) {
  UNUSED_INFO;
  uint32_t id;
  if (!fl_arg_uint(args, argc, 0, 0, 4294967295.0, &id)) return bad_argument("pinUnwatch(id): id is a non-negative integer");
  fl_watch_remove(id);
  return jerry_undefined();
}

HANDLER(pin_write) {
  UNUSED_INFO;
  char pin[FL_PIN_NAME_MAX];
  uint32_t level;
  if (!fl_arg_string(args, argc, 0, pin, sizeof pin)) return bad_argument("pinWrite(pin, level): pin is a pin name of at most 15 bytes");
  if (!fl_arg_uint(args, argc, 1, 0, 1, &level)) return bad_argument("pinWrite(pin, level): level is 0 or 1");
  fl_pin_write(pin, (int) level);
  return jerry_undefined();
}

HANDLER(now_ms) {
  UNUSED_INFO;
  (void) args;
  (void) argc;
  return jerry_number(fl_now_us() / 1000.0);
}

HANDLER(set_timer) {
  UNUSED_INFO;
  if (argc < 1 || !jerry_value_is_number(args[0])) return bad_argument("setTimer(ms, cb): ms is a number");
  if (!fl_arg_function(args, argc, 1)) return bad_argument("setTimer(ms, cb): cb is a function");
  double ms = jerry_value_as_number(args[0]);
  if (!(ms >= 0)) ms = 0;
  uint32_t id = fl_timer_add(fl_now_us() + ms * 1000.0, args[1]);
  if (id == 0) return fl_throw(JERRY_ERROR_RANGE, "NATIVE_FULL", "setTimer: every timer slot is in use");
  return jerry_number(id);
}

HANDLER(clear_timer) {
  UNUSED_INFO;
  uint32_t id;
  if (fl_arg_uint(args, argc, 0, 0, 4294967295.0, &id)) fl_timer_clear(id);
  return jerry_undefined();
}

HANDLER(link_send) {
  UNUSED_INFO;
  size_t n;
  uint8_t *bytes = fl_arg_bytes(args, argc, 0, &n);
  if (bytes == NULL) return bad_argument("linkSend(bytes): bytes is a Uint8Array");
  return fl_status_value(fl_link_send(bytes, n));
}

/* Replaces a held callback with args[0]. */
static jerry_value_t hold_callback(const jerry_value_t args[], jerry_length_t argc, jerry_value_t *slot, int *held, const char *what) {
  if (!fl_arg_function(args, argc, 0)) return bad_argument(what);
  if (*held) jerry_value_free(*slot);
  *slot = jerry_value_copy(args[0]);
  *held = 1;
  return jerry_undefined();
}

HANDLER(link_on_receive) {
  UNUSED_INFO;
  return hold_callback(args, argc, &link_receiver, &have_receiver, "linkOnReceive(cb): cb is a function");
}

HANDLER(link_on_state) {
  UNUSED_INFO;
  return hold_callback(args, argc, &link_state, &have_state, "linkOnState(cb): cb is a function");
}

HANDLER(link_close) {
  UNUSED_INFO;
  (void) args;
  (void) argc;
  fl_link_close();
  return jerry_undefined();
}

HANDLER(device_secret) {
  UNUSED_INFO;
  (void) args;
  (void) argc;
  uint8_t secret[32];
  if (fl_device_secret(secret) != FL_OK) return jerry_null();
  jerry_value_t bytes = fl_new_bytes(secret, 32);
  memset(secret, 0, sizeof secret);
  return bytes;
}

HANDLER(reboot) {
  UNUSED_INFO;
  (void) args;
  (void) argc;
  fl_reboot();
  return jerry_undefined();
}

static void add_function(jerry_value_t object, const char *name, jerry_external_handler_t handler) {
  fl_set(object, name, jerry_function_external(handler));
}

jerry_value_t fl_native_create(void) {
  jerry_value_t o = jerry_object();
  fl_set(o, "version", jerry_number(FL_BINDING_VERSION));
  add_function(o, "trngRead", trng_read);
  add_function(o, "flashInfo", flash_info);
  add_function(o, "flashRead", flash_read);
  add_function(o, "flashProgram", flash_program);
  add_function(o, "flashErase", flash_erase);
  add_function(o, "pinWatch", pin_watch);
  add_function(o, "pinUnwatch", pin_unwatch);
  add_function(o, "pinWrite", pin_write);
  add_function(o, "nowMs", now_ms);
  add_function(o, "setTimer", set_timer);
  add_function(o, "clearTimer", clear_timer);
  add_function(o, "linkSend", link_send);
  add_function(o, "linkOnReceive", link_on_receive);
  add_function(o, "linkOnState", link_on_state);
  add_function(o, "linkClose", link_close);
  add_function(o, "deviceSecret", device_secret);
  add_function(o, "reboot", reboot);
  fl_accel_register(o);
  return o;
}

/* Calls a held callback with one argument (taken over and freed). */
static void call_held(jerry_value_t cb, jerry_value_t arg, void (*report)(jerry_value_t exception)) {
  jerry_value_t fn = jerry_value_copy(cb);  /* the callback may replace itself */
  jerry_value_t undefined = jerry_undefined();
  jerry_value_t r = jerry_value_is_exception(arg) ? jerry_value_copy(arg) : jerry_call(fn, undefined, &arg, 1);
  if (jerry_value_is_exception(r)) report(r);
  jerry_value_free(r);
  jerry_value_free(arg);
  jerry_value_free(fn);
}

void fl_native_deliver(const fl_event *ev, void (*report)(jerry_value_t exception)) {
  if (ev->kind == FL_EV_EDGE) fl_watch_deliver(ev, report);
  else if ((ev->kind == FL_EV_LINK_UP || ev->kind == FL_EV_LINK_DOWN) && have_state)
    call_held(link_state, jerry_boolean(ev->kind == FL_EV_LINK_UP), report);
  else if (ev->kind == FL_EV_LINK_DATA && have_receiver)
    call_held(link_receiver, fl_new_bytes(ev->data, ev->length), report);
}

void fl_native_release(void) {
  if (have_receiver) jerry_value_free(link_receiver);
  if (have_state) jerry_value_free(link_state);
  have_receiver = have_state = 0;
  fl_timer_clear_all();
  fl_watch_clear_all();
}
