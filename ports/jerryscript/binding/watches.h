/* Pin watches for pinWatch / pinUnwatch: a fixed table of (id, pin, callback). */
#ifndef FIRSTLIGHT_BINDING_WATCHES_H
#define FIRSTLIGHT_BINDING_WATCHES_H

#include <stdint.h>
#include "jerryscript.h"
#include "../platform.h"

#define FL_MAX_WATCHES 8

/* Watches pin with cb (copied): its id >= 1; 0 when the table is full; FL_ERR_OFF via *status for
 * a pin the platform does not have. */
uint32_t fl_watch_add(const char *pin, jerry_value_t cb, fl_status *status);
/* Stops one watch (the platform stops reporting the pin when no watch is left). */
void fl_watch_remove(uint32_t id);
/* Calls every watch of ev->pin with (level, timeUs); exceptions go to report(). */
void fl_watch_deliver(const fl_event *ev, void (*report)(jerry_value_t exception));
void fl_watch_clear_all(void);

#endif
