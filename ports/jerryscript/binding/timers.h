/*
 * One-shot timers for setTimer / clearTimer: a fixed table of pending callbacks ordered by due
 * time. Ids are >= 1 and never reused while pending.
 */
#ifndef FIRSTLIGHT_BINDING_TIMERS_H
#define FIRSTLIGHT_BINDING_TIMERS_H

#include <stdbool.h>
#include <stdint.h>
#include "jerryscript.h"

#define FL_MAX_TIMERS 32

/* Schedules cb (copied) at due_us; returns its id, or 0 when the table is full. */
uint32_t fl_timer_add(double due_us, jerry_value_t cb);
/* Cancels a pending timer; no-op for a fired, cleared or unknown id. */
void fl_timer_clear(uint32_t id);
/* The earliest due time, or -1 when nothing is pending. */
double fl_timer_next_due(void);
/* Takes the earliest timer due at or before now_us out of the table: its callback (the caller frees
 * it), or false when none is due. */
bool fl_timer_take_due(double now_us, jerry_value_t *cb);
/* Frees every pending callback (engine shutdown). */
void fl_timer_clear_all(void);

#endif
