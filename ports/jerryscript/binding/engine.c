/* The engine and its event loop (engine.h). */
#include <stdio.h>
#include <string.h>
#include "jerryscript.h"
#include "context.h"
#include "literals.h"
#include "engine.h"
#include "native.h"
#include "timers.h"
#include "values.h"

static jerry_value_t device;   /* what firstlight.jerry.boot returned */
static fl_literals literals;
static unsigned long faults;

/* An exception nothing caught: logged with its code, counted, and the loop goes on (the firmware
 * keeps its own state consistent; a board would log it to its console the same way). */
static void report_exception(jerry_value_t exception) {
  char text[240];
  char line[260];
  fl_describe(exception, text, sizeof text);
  snprintf(line, sizeof line, "uncaught: %s", text);
  faults++;
  fl_log_line(line, strlen(line));
}

static jerry_value_t js_log(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  (void) info;
  char line[400];
  if (argc < 1) return jerry_undefined();
  fl_describe(args[0], line, sizeof line);
  fl_log_line(line, strlen(line));
  return jerry_undefined();
}

/* The device handle's status() as JSON, and the heap figures, as one report line. A full
 * collection first, so "allocated" is what is live; "peak" is the high-water mark since boot
 * (garbage included: JerryScript collects when an allocation would not fit). */
static void report_status(void) {
  char line[1200];
  char status[900] = "null";
  jerry_value_t fn = jerry_object_get_sz(device, "status");
  jerry_value_t st = jerry_value_is_function(fn) ? jerry_call(fn, device, NULL, 0) : jerry_undefined();
  if (!jerry_value_is_exception(st)) {
    jerry_value_t json = jerry_json_stringify(st);
    if (jerry_value_is_string(json)) {
      jerry_size_t n = jerry_string_to_buffer(json, JERRY_ENCODING_UTF8, (jerry_char_t *) status, sizeof status - 1);
      status[n] = 0;
    }
    jerry_value_free(json);
  }
  jerry_value_free(st);
  jerry_value_free(fn);
  jerry_heap_gc(JERRY_GC_PRESSURE_HIGH);
  jerry_heap_stats_t heap;
  memset(&heap, 0, sizeof heap);
  jerry_heap_stats(&heap);
  snprintf(line, sizeof line, "status {\"device\":%s,\"heap\":{\"size\":%lu,\"allocated\":%lu,\"peak\":%lu},\"faults\":%lu}",
           status, (unsigned long) heap.size, (unsigned long) heap.allocated_bytes,
           (unsigned long) heap.peak_allocated_bytes, faults);
  fl_report_line(line);
}

/* Runs the image's static snapshot in place (its bytecode never enters the heap); it assigns the
 * global `firstlight`. */
static int run_snapshot(const fl_boot_config *cfg) {
  jerry_value_t r = jerry_exec_snapshot(cfg->snapshot, cfg->snapshot_bytes, 0, JERRY_SNAPSHOT_EXEC_ALLOW_STATIC, NULL);
  int ok = !jerry_value_is_exception(r);
  if (!ok) report_exception(r);
  jerry_value_free(r);
  return ok;
}

/* firstlight.jerry.boot(boardJson, setupCode, windowMs, log): the device handle, or 0 on failure. */
static int boot_device(const fl_boot_config *cfg) {
  jerry_value_t global = jerry_current_realm();
  jerry_value_t fl = jerry_object_get_sz(global, "firstlight");
  jerry_value_t jerry_api = jerry_value_is_object(fl) ? jerry_object_get_sz(fl, "jerry") : jerry_undefined();
  jerry_value_t boot = jerry_value_is_object(jerry_api) ? jerry_object_get_sz(jerry_api, "boot") : jerry_undefined();
  int ok = 0;
  if (!jerry_value_is_function(boot)) {
    const char *msg = "boot: the image has no firstlight.jerry.boot (is it firstlight-jerry.js?)";
    fl_log_line(msg, strlen(msg));
  } else {
    jerry_value_t args[4] = { jerry_string_sz(cfg->board_json), jerry_string_sz(cfg->setup_code),
                              jerry_number(cfg->window_ms), jerry_function_external(js_log) };
    device = jerry_call(boot, jerry_api, args, 4);
    ok = !jerry_value_is_exception(device);
    if (!ok) report_exception(device);
    for (int i = 0; i < 4; i++) jerry_value_free(args[i]);
  }
  jerry_value_free(boot);
  jerry_value_free(jerry_api);
  jerry_value_free(fl);
  jerry_value_free(global);
  return ok;
}

/* Fires every timer that is due, earliest first (a callback may schedule more). */
static void fire_due_timers(void) {
  jerry_value_t cb;
  while (fl_timer_take_due(fl_now_us(), &cb)) {
    jerry_value_t undefined = jerry_undefined();
    jerry_value_t r = jerry_call(cb, undefined, NULL, 0);
    if (jerry_value_is_exception(r)) report_exception(r);
    jerry_value_free(r);
    jerry_value_free(cb);
  }
}

static void loop_forever(void) {
  fl_event ev;
  for (;;) {
    fire_due_timers();
    if (!fl_wait_event(fl_timer_next_due(), &ev)) continue;
    if (ev.kind == FL_EV_REPORT) report_status();
    else fl_native_deliver(&ev, report_exception);
  }
}

int fl_run(const fl_boot_config *cfg) {
  fl_context_set_heap(cfg->heap_bytes);
  if (fl_literals_index(cfg->literals, cfg->literals_bytes, &literals) != 0) {
    const char *msg = "boot: the literal table is malformed";
    fl_log_line(msg, strlen(msg));
    return 1;
  }
  jerry_init(JERRY_INIT_EMPTY);
  fl_literals_register(&literals);
  jerry_value_t global = jerry_current_realm();
  fl_set(global, "firstlight_native", fl_native_create());
  jerry_value_free(global);
  if (!run_snapshot(cfg) || !boot_device(cfg)) {
    fl_native_release();
    jerry_cleanup();
    return 1;
  }
  loop_forever();
  return 0;
}
