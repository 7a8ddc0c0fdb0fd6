/* The JerryScript context allocation (context.c). */
#ifndef FIRSTLIGHT_BINDING_CONTEXT_H
#define FIRSTLIGHT_BINDING_CONTEXT_H

#include <stddef.h>

/* The heap the next jerry_init gets, in bytes (at most 512 KB with 16-bit compressed pointers). */
void fl_context_set_heap(size_t bytes);

#endif
