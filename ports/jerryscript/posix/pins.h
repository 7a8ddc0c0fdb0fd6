/* Host pins (pins.c). */
#ifndef FIRSTLIGHT_POSIX_PINS_H
#define FIRSTLIGHT_POSIX_PINS_H

#include "../platform.h"

/* Sets an input's level as the harness says; 1 with *ev filled when a watched pin changed. */
int posix_pin_drive(const char *pin, int level, fl_event *ev);

#endif
