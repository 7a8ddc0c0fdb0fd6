/*
 * The tests' X25519 runner, on the host build of the kernel. It speaks the same line protocol as
 * the emulator runner (unicorn-runner.py), so one test feeds both:
 *   "x <scalar hex> <point hex>"  →  "<fl_x25519 output hex>"
 *   "b <scalar hex>"              →  "<fl_x25519_base output hex>" (the emulator: fl_x25519 with u = 9)
 *   "e <r hex>"                   →  "<fl_elligator2 output hex>"
 *   "i <n>"                       →  k after n rounds of RFC 7748 §5.2's iteration (k = u = 9)
 * A malformed line prints "error <what>" and the runner goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "firstlight_accel.h"

static int unhex(const char *s, uint8_t out[32]) {
  int i;
  unsigned v;
  if (strlen(s) != 64) return 0;
  for (i = 0; i < 32; i++) {
    if (sscanf(s + 2 * i, "%2x", &v) != 1) return 0;
    out[i] = (uint8_t)v;
  }
  return 1;
}

static void print_hex(const uint8_t b[32]) {
  int i;
  for (i = 0; i < 32; i++) printf("%02x", b[i]);
  printf("\n");
}

static void iterate(long n) {
  uint8_t k[32], u[32], r[32];
  long i;
  memset(k, 0, 32);
  memset(u, 0, 32);
  k[0] = 9;
  u[0] = 9;
  for (i = 0; i < n; i++) {
    fl_x25519(r, k, u);
    memcpy(u, k, 32);
    memcpy(k, r, 32);
  }
  print_hex(k);
}

int main(void) {
  char line[256], a[128], b[128];
  uint8_t k[32], u[32], out[32];
  long n;
  while (fgets(line, sizeof line, stdin)) {
    if (sscanf(line, "x %127s %127s", a, b) == 2 && unhex(a, k) && unhex(b, u)) {
      fl_x25519(out, k, u);
      print_hex(out);
    } else if (sscanf(line, "b %127s", a) == 1 && unhex(a, k)) {
      fl_x25519_base(out, k);
      print_hex(out);
    } else if (sscanf(line, "e %127s", a) == 1 && unhex(a, k)) {
      fl_elligator2(out, k);
      print_hex(out);
    } else if (sscanf(line, "i %ld", &n) == 1 && n >= 0) {
      iterate(n);
    } else {
      printf("error bad line\n");
    }
    fflush(stdout);
  }
  return 0;
}
