/*
 * JerryScript's external context (built with --external-context=on): the port, not the engine's
 * build, chooses the heap size. These three replace the weak defaults in jerry-port.
 */
#include <stdlib.h>
#include "jerryscript-port.h"
#include "context.h"

static size_t heap_bytes = 64 * 1024;
static jerry_context_t *context;

void fl_context_set_heap(size_t bytes) {
  heap_bytes = bytes;
}

size_t jerry_port_context_alloc(size_t context_size) {
  size_t total = context_size + heap_bytes;
  context = malloc(total);
  if (context == NULL) jerry_port_fatal(JERRY_FATAL_OUT_OF_MEMORY);
  return total;
}

jerry_context_t *jerry_port_context_get(void) {
  return context;
}

void jerry_port_context_free(void) {
  free(context);
  context = NULL;
}
