/*
 * The image's string literals as JerryScript external magic strings: a table kept in flash beside
 * the snapshot, so the literals the snapshot names are never copied into the heap. Format (one
 * file, little-endian; docs/jerryscript-binding.md "Literal table"):
 *
 *   "FLLT"  u32 count  then count x (u16 length, length bytes)
 *
 * sorted by length, then bytewise: the order jerry_register_magic_strings requires.
 */
#ifndef FIRSTLIGHT_BINDING_LITERALS_H
#define FIRSTLIGHT_BINDING_LITERALS_H

#include <stddef.h>
#include <stdint.h>
#include "jerryscript.h"

typedef struct {
  uint32_t count;
  const jerry_char_t **items;   /* pointers into the table's bytes */
  jerry_length_t *lengths;
} fl_literals;

/* Indexes a table in place (bytes must outlive the engine); 0, or -1 for a malformed table. */
int fl_literals_index(const uint8_t *bytes, size_t size, fl_literals *out);
/* Registers the table with the engine (after jerry_init, before any parse or snapshot run). */
void fl_literals_register(const fl_literals *lits);
void fl_literals_free(fl_literals *lits);

#endif
