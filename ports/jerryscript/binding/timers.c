/* One-shot timers (timers.h). */
#include "timers.h"

typedef struct {
  uint32_t id;          /* 0: free slot */
  double due_us;
  jerry_value_t cb;
} timer_slot;

static timer_slot timers[FL_MAX_TIMERS];
static uint32_t last_id;

static bool id_pending(uint32_t id) {
  for (int i = 0; i < FL_MAX_TIMERS; i++)
    if (timers[i].id == id) return true;
  return false;
}

static uint32_t fresh_id(void) {
  do {
    last_id = last_id >= 0x7fffffffu ? 1 : last_id + 1;
  } while (id_pending(last_id));
  return last_id;
}

uint32_t fl_timer_add(double due_us, jerry_value_t cb) {
  for (int i = 0; i < FL_MAX_TIMERS; i++) {
    if (timers[i].id != 0) continue;
    timers[i].id = fresh_id();
    timers[i].due_us = due_us;
    timers[i].cb = jerry_value_copy(cb);
    return timers[i].id;
  }
  return 0;
}

void fl_timer_clear(uint32_t id) {
  for (int i = 0; i < FL_MAX_TIMERS; i++) {
    if (id == 0 || timers[i].id != id) continue;
    jerry_value_free(timers[i].cb);
    timers[i].id = 0;
  }
}

/* The slot of the earliest pending timer (ties: the one scheduled first, by id), or -1. */
static int earliest(void) {
  int best = -1;
  for (int i = 0; i < FL_MAX_TIMERS; i++) {
    if (timers[i].id == 0) continue;
    if (best < 0 || timers[i].due_us < timers[best].due_us ||
        (timers[i].due_us == timers[best].due_us && timers[i].id < timers[best].id)) best = i;
  }
  return best;
}

double fl_timer_next_due(void) {
  int i = earliest();
  return i < 0 ? -1 : timers[i].due_us;
}

bool fl_timer_take_due(double now_us, jerry_value_t *cb) {
  int i = earliest();
  if (i < 0 || timers[i].due_us > now_us) return false;
  *cb = timers[i].cb;
  timers[i].id = 0;
  return true;
}

void fl_timer_clear_all(void) {
  for (int i = 0; i < FL_MAX_TIMERS; i++) {
    if (timers[i].id != 0) jerry_value_free(timers[i].cb);
    timers[i].id = 0;
  }
}
