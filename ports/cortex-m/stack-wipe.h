/*
 * Wiping the stack a computation used. A compiler may drop stores that zero locals nobody reads
 * again, so the entry points call the secret work in a function of its own, then this one, which
 * zeroes FL_STACK_WIPE_BYTES below its caller's frame through a volatile pointer: the same
 * addresses the work's frames used. The emulator test (test-sim/ports/cortex-m-blob.test.ts)
 * checks that no byte the call wrote below the caller's stack pointer is left non-zero.
 */
#ifndef FIRSTLIGHT_STACK_WIPE_H
#define FIRSTLIGHT_STACK_WIPE_H

/* At least the deepest stack fl_x25519's work reaches on any target we build (-fstack-usage). */
#ifndef FL_STACK_WIPE_BYTES
#define FL_STACK_WIPE_BYTES 2048
#endif

void fl_stack_wipe(void);

#endif
