/*
 * The native crypto kernel (ports/cortex-m/firstlight_accel.h) as firstlight_native.x25519,
 * .aeadSeal and .aeadOpen, the accelerator hal/jerryscript/accel.ts offers the firmware. Built with FL_WITH_ACCEL (the host build
 * always links the kernel); without it the binding has no x25519 and the firmware runs the
 * portable TypeScript.
 */
#ifndef FIRSTLIGHT_BINDING_ACCEL_H
#define FIRSTLIGHT_BINDING_ACCEL_H

#include "jerryscript.h"

/* Adds x25519, aeadSeal and aeadOpen to the firstlight_native object (nothing without FL_WITH_ACCEL). */
void fl_accel_register(jerry_value_t native_object);

#endif
