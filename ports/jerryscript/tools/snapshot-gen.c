/*
 * Builds the device image's snapshot at build time (the device then runs it in place instead of
 * parsing source into its heap), with its string literals in a table beside it:
 *
 *   snapshot-gen OUT.literals IN.js OUT.snapshot [IN2.js OUT2.snapshot …]
 *
 * Scripts that run in one engine (the self-test's core image and its runner) share one literal
 * table, since the engine registers exactly one.
 *
 * Pass 1 parses the source and lists the snapshot's string literals; they become the literal
 * table (binding/literals.h). Pass 2 registers that table as JerryScript external magic strings and
 * saves a *static* snapshot: every literal is then an index into the table, and the engine runs the
 * bytecode where it lies (flash) without copying any function into the heap. A static snapshot
 * admits no other literal: numbers outside JerryScript's direct-integer range and numeric strings
 * above 65535 are rewritten by the build first (ports/jerryscript/host/static-literals.ts).
 *
 * Parsing needs far more heap than running (the device image does not parse in 64 KB), so the
 * generator runs with a 512 KB heap; the snapshot format does not depend on the heap size as long
 * as both builds use 16-bit compressed pointers (heaps up to 512 KB). Prints the two sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jerryscript.h"
#include "../binding/context.h"
#include "../binding/literals.h"
#include "../binding/values.h"

#define MAX_SNAPSHOT_BYTES (1024 * 1024)

typedef struct {
  const uint8_t *bytes;
  size_t length;
} literal;

static char *read_all(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = n >= 0 ? malloc((size_t) n + 1) : NULL;
  if (buf != NULL && fread(buf, 1, (size_t) n, f) != (size_t) n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *size = (size_t) n;
  return buf;
}

static int write_all(const char *path, const void *bytes, size_t n) {
  FILE *f = fopen(path, "wb");
  if (f == NULL) return -1;
  int ok = fwrite(bytes, 1, n, f) == n;
  return fclose(f) == 0 && ok ? 0 : -1;
}

static int report(const char *what, jerry_value_t error) {
  char text[300];
  fl_describe(error, text, sizeof text);
  fprintf(stderr, "snapshot-gen: %s: %s\n", what, text);
  jerry_value_free(error);
  return -1;
}

/* Parses source and snapshots it into out (static: flags JERRY_SNAPSHOT_SAVE_STATIC); its size, or
 * 0 after printing why. */
static size_t snapshot(const char *source, size_t size, uint32_t *out, uint32_t flags) {
  jerry_value_t parsed = jerry_parse((const jerry_char_t *) source, size, NULL);
  if (jerry_value_is_exception(parsed)) return report("parse", parsed), 0;
  jerry_value_t r = jerry_generate_snapshot(parsed, flags, out, MAX_SNAPSHOT_BYTES);
  jerry_value_free(parsed);
  if (jerry_value_is_exception(r)) return report("generate", r), 0;
  size_t n = (size_t) jerry_value_as_number(r);
  jerry_value_free(r);
  return n;
}

static int by_length_then_bytes(const void *pa, const void *pb) {
  const literal *a = pa, *b = pb;
  if (a->length != b->length) return a->length < b->length ? -1 : 1;
  return memcmp(a->bytes, b->bytes, a->length);
}

/* Every snapshot's literals as "LENGTH TEXT\n" lines (jerry_get_literals_from_snapshot), appended. */
static jerry_char_t listing[4 * MAX_SNAPSHOT_BYTES];
static size_t listing_used;

static void list_literals(const uint32_t *snap, size_t snap_size) {
  listing_used += jerry_get_literals_from_snapshot(snap, snap_size, listing + listing_used, sizeof listing - listing_used, false);
}

/*
 * The literal table: every non-empty string of the listing up to 65535 bytes, sorted and without
 * repeats. Returns its size in table (allocated), or 0.
 */
static size_t literal_table(uint8_t **table) {
  size_t n = listing_used;
  literal *lits = calloc(n / 2 + 1, sizeof *lits);
  size_t count = 0, at = 0, total = 8;
  while (lits != NULL && at < n) {
    char *end;
    unsigned long len = strtoul((const char *) listing + at, &end, 10);
    at = (size_t) ((jerry_char_t *) end - listing) + 1;
    if (at + len > n) break;
    if (len > 0 && len <= 65535) lits[count++] = (literal) { listing + at, len };
    at += len + 1;
  }
  qsort(lits, count, sizeof *lits, by_length_then_bytes);
  size_t kept = 0;
  for (size_t i = 0; i < count; i++) {
    if (kept > 0 && by_length_then_bytes(&lits[kept - 1], &lits[i]) == 0) continue;
    lits[kept++] = lits[i];
    total += 2 + lits[i].length;
  }
  uint8_t *t = malloc(total);
  if (t == NULL || kept == 0) return free(lits), free(t), 0;
  memcpy(t, "FLLT", 4);
  for (int k = 0; k < 4; k++) t[4 + k] = (uint8_t) (kept >> (8 * k));
  size_t w = 8;
  for (size_t i = 0; i < kept; i++) {
    t[w] = (uint8_t) lits[i].length;
    t[w + 1] = (uint8_t) (lits[i].length >> 8);
    memcpy(t + w + 2, lits[i].bytes, lits[i].length);
    w += 2 + lits[i].length;
  }
  free(lits);
  *table = t;
  return total;
}

int main(int argc, char **argv) {
  size_t table_size;
  uint8_t *table = NULL;
  fl_literals lits;
  if (argc < 4 || argc % 2 != 0) {
    fprintf(stderr, "usage: snapshot-gen OUT.literals IN.js OUT.snapshot [IN2.js OUT2.snapshot ...]\n");
    return 2;
  }
  int scripts = (argc - 2) / 2;
  char **sources = calloc((size_t) scripts, sizeof *sources);
  size_t *sizes = calloc((size_t) scripts, sizeof *sizes);
  uint32_t *out = malloc(MAX_SNAPSHOT_BYTES);
  if (sources == NULL || sizes == NULL || out == NULL) return 1;
  for (int i = 0; i < scripts; i++) {
    sources[i] = read_all(argv[2 + 2 * i], &sizes[i]);
    if (sources[i] == NULL) {
      fprintf(stderr, "snapshot-gen: cannot read %s\n", argv[2 + 2 * i]);
      return 1;
    }
  }
  fl_context_set_heap(512 * 1024);

  jerry_init(JERRY_INIT_EMPTY);
  for (int i = 0; i < scripts; i++) {
    size_t n = snapshot(sources[i], sizes[i], out, 0);
    if (n == 0) return 1;
    list_literals(out, n);
  }
  table_size = literal_table(&table);
  jerry_cleanup();
  if (table_size == 0 || fl_literals_index(table, table_size, &lits) != 0) {
    fprintf(stderr, "snapshot-gen: no literal table\n");
    return 1;
  }
  if (write_all(argv[1], table, table_size) != 0) {
    fprintf(stderr, "snapshot-gen: cannot write %s\n", argv[1]);
    return 1;
  }

  jerry_init(JERRY_INIT_EMPTY);
  fl_literals_register(&lits);
  for (int i = 0; i < scripts; i++) {
    size_t n = snapshot(sources[i], sizes[i], out, JERRY_SNAPSHOT_SAVE_STATIC);
    if (n == 0 || write_all(argv[3 + 2 * i], out, n) != 0) {
      fprintf(stderr, "snapshot-gen: no snapshot of %s\n", argv[2 + 2 * i]);
      return 1;
    }
    printf("%s %zu\n", argv[3 + 2 * i], n);
    free(sources[i]);
  }
  jerry_cleanup();
  printf("literals %zu\n", table_size);
  fl_literals_free(&lits);
  free(table);
  free(out);
  free(sources);
  free(sizes);
  return 0;
}
