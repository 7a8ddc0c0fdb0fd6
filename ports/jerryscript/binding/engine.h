/*
 * The engine around the binding: a JerryScript context with the board's heap, the device image run
 * from its snapshot, firstlight.jerry.boot(...) called, then the event loop (timers, pin edges, link
 * events) forever.
 */
#ifndef FIRSTLIGHT_BINDING_ENGINE_H
#define FIRSTLIGHT_BINDING_ENGINE_H

#include "../platform.h"

/* Boots the image and runs the loop; returns only when the image could not boot (non-zero). */
int fl_run(const fl_boot_config *cfg);

#endif
