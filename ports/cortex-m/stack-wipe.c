#include <stdint.h>
#include "stack-wipe.h"

/* Zeroes FL_STACK_WIPE_BYTES of stack below the caller's frame. */
__attribute__((noinline)) void fl_stack_wipe(void) {
  uint32_t area[FL_STACK_WIPE_BYTES / 4];
  volatile uint32_t *p = area;
  int i;
  for (i = 0; i < FL_STACK_WIPE_BYTES / 4; i++) p[i] = 0;
}
