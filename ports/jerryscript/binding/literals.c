/* The literal table (literals.h). */
#include <stdlib.h>
#include <string.h>
#include "literals.h"

static uint32_t read_u32(const uint8_t *p) {
  return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
}

/* a comes strictly before b: shorter first, then bytewise. */
static int ordered(const uint8_t *a, size_t na, const uint8_t *b, size_t nb) {
  if (na != nb) return na < nb;
  return memcmp(a, b, na) < 0;
}

int fl_literals_index(const uint8_t *bytes, size_t size, fl_literals *out) {
  memset(out, 0, sizeof *out);
  if (size < 8 || memcmp(bytes, "FLLT", 4) != 0) return -1;
  uint32_t count = read_u32(bytes + 4);
  if (count == 0 || count > size / 2) return -1;
  out->items = calloc(count, sizeof *out->items);
  out->lengths = calloc(count, sizeof *out->lengths);
  if (out->items == NULL || out->lengths == NULL) {
    fl_literals_free(out);
    return -1;
  }
  size_t at = 8;
  for (uint32_t i = 0; i < count; i++) {
    if (size - at < 2) break;
    size_t n = (size_t) bytes[at] | ((size_t) bytes[at + 1] << 8);
    at += 2;
    if (n == 0 || size - at < n) break;
    out->items[i] = bytes + at;
    out->lengths[i] = (jerry_length_t) n;
    at += n;
    if (i > 0 && !ordered(out->items[i - 1], out->lengths[i - 1], out->items[i], n)) break;
    out->count = i + 1;
  }
  if (out->count != count || at != size) {
    fl_literals_free(out);
    return -1;
  }
  return 0;
}

void fl_literals_register(const fl_literals *lits) {
  if (lits->count > 0) jerry_register_magic_strings(lits->items, lits->count, lits->lengths);
}

void fl_literals_free(fl_literals *lits) {
  free(lits->items);
  free(lits->lengths);
  memset(lits, 0, sizeof *lits);
}
