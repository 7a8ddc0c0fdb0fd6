/*
 * Runs static snapshots (made by snapshot-gen with one shared literal table) in one engine of a
 * given heap, with JSON files as globals between them: how the self-test reaches a 64 KB heap one
 * piece of vectors at a time, and how the bench measures a workload's heap.
 *
 *   script-run --heap-kb 64 --literals L.literals  STEP...
 *     --snapshot FILE        run a static snapshot
 *     --json NAME FILE       parse FILE (JSON) into the global NAME
 *     --eval CODE            run a short script (a call into what the snapshots defined)
 *     --accel                define the global firstlight_native with the native crypto kernel's
 *                            functions alone (binding/accel.c; the tests and the bench of the
 *                            binding): an error when built without FL_WITH_ACCEL
 *
 * `print` writes a line to stdout. At the end: "heap SIZE PEAK ALLOCATED" (jerry_heap_stats).
 * Exit 1 on an uncaught exception (printed as "uncaught: CODE: message").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jerryscript.h"
#include "../binding/context.h"
#include "../binding/literals.h"
#include "../binding/values.h"
#include "../binding/accel.h"

static uint8_t *read_all(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = n >= 0 ? malloc((size_t) n + 1) : NULL;
  if (buf != NULL && fread(buf, 1, (size_t) n, f) != (size_t) n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *size = (size_t) n;
  return buf;
}

static jerry_value_t js_print(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  (void) info;
  static char line[4096];
  if (argc > 0) fl_describe(args[0], line, sizeof line);
  else line[0] = 0;
  puts(line);
  return jerry_undefined();
}

static int uncaught(jerry_value_t r) {
  char text[600];
  fl_describe(r, text, sizeof text);
  printf("uncaught: %s\n", text);
  jerry_value_free(r);
  return 1;
}

static int run_snapshot(const char *path) {
  size_t n;
  uint8_t *snap = read_all(path, &n);
  if (snap == NULL) return fprintf(stderr, "script-run: cannot read %s\n", path), 1;
  jerry_value_t r = jerry_exec_snapshot((const uint32_t *) snap, n, 0, JERRY_SNAPSHOT_EXEC_ALLOW_STATIC, NULL);
  if (jerry_value_is_exception(r)) return uncaught(r);
  jerry_value_free(r);
  /* A static snapshot's bytecode stays in place: the buffer lives as long as the engine. */
  return 0;
}

static int set_json(const char *name, const char *path) {
  size_t n;
  uint8_t *text = read_all(path, &n);
  if (text == NULL) return fprintf(stderr, "script-run: cannot read %s\n", path), 1;
  jerry_value_t v = jerry_json_parse(text, (jerry_size_t) n);
  free(text);
  if (jerry_value_is_exception(v)) return uncaught(v);
  jerry_value_t global = jerry_current_realm();
  fl_set(global, name, v);
  jerry_value_free(global);
  return 0;
}

static int define_accel(void) {
#ifdef FL_WITH_ACCEL
  jerry_value_t global = jerry_current_realm(), native = jerry_object();
  fl_accel_register(native);
  fl_set(global, "firstlight_native", native);
  jerry_value_free(global);
  return 0;
#else
  fprintf(stderr, "script-run: built without the native kernel (FL_WITH_ACCEL)\n");
  return 2;
#endif
}

static int eval_code(const char *code) {
  jerry_value_t r = jerry_eval((const jerry_char_t *) code, strlen(code), JERRY_PARSE_NO_OPTS);
  if (jerry_value_is_exception(r)) return uncaught(r);
  jerry_value_free(r);
  return 0;
}

int main(int argc, char **argv) {
  unsigned heap_kb = 64;
  size_t lit_size;
  fl_literals lits;
  if (argc < 5 || strcmp(argv[1], "--heap-kb") != 0 || sscanf(argv[2], "%u", &heap_kb) != 1 || strcmp(argv[3], "--literals") != 0) {
    fprintf(stderr, "usage: script-run --heap-kb N --literals L.literals [--snapshot FILE | --json NAME FILE | --eval CODE | --accel]...\n");
    return 2;
  }
  uint8_t *table = read_all(argv[4], &lit_size);
  if (table == NULL || fl_literals_index(table, lit_size, &lits) != 0) return fprintf(stderr, "script-run: bad literal table\n"), 2;
  fl_context_set_heap((size_t) heap_kb * 1024);
  jerry_init(JERRY_INIT_EMPTY);
  fl_literals_register(&lits);
  jerry_value_t global = jerry_current_realm();
  fl_set(global, "print", jerry_function_external(js_print));
  jerry_value_free(global);
  int failed = 0;
  for (int i = 5; i < argc && !failed; i++) {
    if (strcmp(argv[i], "--snapshot") == 0 && i + 1 < argc) failed = run_snapshot(argv[++i]);
    else if (strcmp(argv[i], "--eval") == 0 && i + 1 < argc) failed = eval_code(argv[++i]);
    else if (strcmp(argv[i], "--accel") == 0) failed = define_accel();
    else if (strcmp(argv[i], "--json") == 0 && i + 2 < argc) {
      failed = set_json(argv[i + 1], argv[i + 2]);
      i += 2;
    } else {
      fprintf(stderr, "script-run: bad step %s\n", argv[i]);
      failed = 2;
    }
  }
  jerry_heap_stats_t heap;
  memset(&heap, 0, sizeof heap);
  jerry_heap_stats(&heap);
  printf("heap %lu %lu %lu\n", (unsigned long) heap.size, (unsigned long) heap.peak_allocated_bytes, (unsigned long) heap.allocated_bytes);
  fflush(stdout);
  /* No jerry_cleanup: the snapshots' buffers are still referenced; the process ends here. */
  return failed;
}
