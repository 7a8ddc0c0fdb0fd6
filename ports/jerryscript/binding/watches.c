/* Pin watches (watches.h). */
#include <string.h>
#include "watches.h"

typedef struct {
  uint32_t id;   /* 0: free slot */
  char pin[FL_PIN_NAME_MAX];
  jerry_value_t cb;
} watch_slot;

static watch_slot watches[FL_MAX_WATCHES];
static uint32_t last_id;

static int watchers_of(const char *pin) {
  int n = 0;
  for (int i = 0; i < FL_MAX_WATCHES; i++)
    if (watches[i].id != 0 && strcmp(watches[i].pin, pin) == 0) n++;
  return n;
}

uint32_t fl_watch_add(const char *pin, jerry_value_t cb, fl_status *status) {
  *status = FL_OK;
  for (int i = 0; i < FL_MAX_WATCHES; i++) {
    if (watches[i].id != 0) continue;
    if (watchers_of(pin) == 0) {
      *status = fl_pin_watch(pin);
      if (*status != FL_OK) return 0;
    }
    watches[i].id = ++last_id;
    strncpy(watches[i].pin, pin, FL_PIN_NAME_MAX - 1);
    watches[i].pin[FL_PIN_NAME_MAX - 1] = 0;
    watches[i].cb = jerry_value_copy(cb);
    return watches[i].id;
  }
  return 0;
}

void fl_watch_remove(uint32_t id) {
  for (int i = 0; i < FL_MAX_WATCHES; i++) {
    if (id == 0 || watches[i].id != id) continue;
    jerry_value_free(watches[i].cb);
    watches[i].id = 0;
    if (watchers_of(watches[i].pin) == 0) fl_pin_unwatch(watches[i].pin);
  }
}

void fl_watch_deliver(const fl_event *ev, void (*report)(jerry_value_t exception)) {
  uint32_t ids[FL_MAX_WATCHES];
  int n = 0;
  for (int i = 0; i < FL_MAX_WATCHES; i++)
    if (watches[i].id != 0 && strcmp(watches[i].pin, ev->pin) == 0) ids[n++] = watches[i].id;
  /* By id, so a callback that unwatches another watch is respected. */
  for (int k = 0; k < n; k++) {
    for (int i = 0; i < FL_MAX_WATCHES; i++) {
      if (watches[i].id != ids[k]) continue;
      jerry_value_t cb = jerry_value_copy(watches[i].cb);
      jerry_value_t args[2] = { jerry_number(ev->level), jerry_number(ev->time_us) };
      jerry_value_t undefined = jerry_undefined();
      jerry_value_t r = jerry_call(cb, undefined, args, 2);
      if (jerry_value_is_exception(r)) report(r);
      jerry_value_free(r);
      jerry_value_free(args[0]);
      jerry_value_free(args[1]);
      jerry_value_free(cb);
      break;
    }
  }
}

void fl_watch_clear_all(void) {
  for (int i = 0; i < FL_MAX_WATCHES; i++) {
    if (watches[i].id != 0) jerry_value_free(watches[i].cb);
    watches[i].id = 0;
  }
}
