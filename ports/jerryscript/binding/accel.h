/*
 * The native crypto kernel (ports/cortex-m/firstlight_accel.h) as functions of firstlight_native:
 * x25519, elligator2, aeadSeal, aeadOpen, sha256, sha512, hmacSha256, hkdfSha256, drbgUpdate and
 * drbgGenerate (docs/jerryscript-binding.md), the accelerator hal/jerryscript/accel.ts offers the
 * firmware. Built with FL_WITH_ACCEL (the host build links the kernel whenever its sources are
 * there); without it the binding registers none of them and the firmware runs the portable
 * TypeScript.
 */
#ifndef FIRSTLIGHT_BINDING_ACCEL_H
#define FIRSTLIGHT_BINDING_ACCEL_H

#include "jerryscript.h"

/* Adds the kernel's functions to the firstlight_native object (nothing without FL_WITH_ACCEL). */
void fl_accel_register(jerry_value_t native_object);

#endif
