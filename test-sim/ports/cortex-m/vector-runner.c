/*
 * The tests' X25519 runner, on the host build of the kernel. It speaks the same line protocol as
 * the emulator runner (unicorn-runner.py), so one test feeds both:
 *   "x <scalar hex> <point hex>"  →  "<fl_x25519 output hex>"
 *   "b <scalar hex>"              →  "<fl_x25519_base output hex>" (the emulator: fl_x25519 with u = 9)
 *   "e <r hex>"                   →  "<fl_elligator2 output hex>"
 *   "i <n>"                       →  k after n rounds of RFC 7748 §5.2's iteration (k = u = 9)
 *   "s <key> <nonce> <aad> <plaintext>"  →  "<ciphertext ‖ tag hex>"            (fl_aead_seal)
 *   "o <key> <nonce> <aad> <ct ‖ tag>"   →  "<plaintext hex>", or on a bad tag "fail" when
 *                                            fl_aead_open zeroed text and tag, "fail-unwiped" if not
 *   "h <key> <msg>"                      →  HMAC-SHA-256 hex                        (fl_hmac_sha256)
 *   "k <salt> <ikm> <info> <L>"          →  HKDF-SHA-256 OKM hex                    (fl_hkdf_sha256)
 *   "d <entropy> <nonce> <pers> <reseed entropy> <reseed additional> <add1> <add2> <n>"
 *        → the second of two n-byte generates of a fresh HMAC_DRBG (the CAVP order: instantiate,
 *          reseed unless its entropy is "-", generate, generate), by fl_hmac_drbg_update/_generate
 *   "2 <msg>", "5 <msg>"                 →  SHA-256 / SHA-512 hex            (fl_sha256 / fl_sha512)
 * Hex fields of the AEAD, HMAC, HKDF and DRBG lines may be "-" for empty. A malformed line prints "error <what>" and the
 * runner goes on.
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

#define LINE_MAX_BYTES (1 << 18)
#define AEAD_MAX_BYTES (1 << 16)

/* Hex of any even length ("-" = empty) into out; returns the byte count or -1. */
static long unhex_var(const char *s, uint8_t *out, long cap) {
  long i, n;
  unsigned v;
  if (strcmp(s, "-") == 0) return 0;
  n = (long)strlen(s);
  if (n & 1 || n / 2 > cap) return -1;
  for (i = 0; i < n / 2; i++) {
    if (sscanf(s + 2 * i, "%2x", &v) != 1) return -1;
    out[i] = (uint8_t)v;
  }
  return n / 2;
}

static void print_hex_var(const uint8_t *b, long n) {
  long i;
  if (n == 0) printf("-");
  for (i = 0; i < n; i++) printf("%02x", b[i]);
  printf("\n");
}

/* The AEAD lines: buf = key ‖ nonce ‖ aad ‖ text ‖ tag, as firstlight_accel.h lays it out. */
static int aead_line(char op, char *rest) {
  static uint8_t buf[AEAD_MAX_BYTES + 64];
  char *key = strtok(rest, " \n"), *nonce = strtok(NULL, " \n"), *aad = strtok(NULL, " \n"), *text = strtok(NULL, " \n");
  long a, t, i, dirty = 0;
  if (!key || !nonce || !aad || !text || strtok(NULL, " \n")) return 0;
  if (unhex_var(key, buf, 32) != 32 || unhex_var(nonce, buf + 32, 12) != 12) return 0;
  a = unhex_var(aad, buf + 44, AEAD_MAX_BYTES / 2);
  if (a < 0) return 0;
  t = unhex_var(text, buf + 44 + a, AEAD_MAX_BYTES / 2);
  if (t < 0 || (op == 'o' && t < 16)) return 0;
  if (op == 's') {
    fl_aead_seal(buf, (uint32_t)a, (uint32_t)t);
    print_hex_var(buf + 44 + a, t + 16);
  } else if (fl_aead_open(buf, (uint32_t)a, (uint32_t)(t - 16))) {
    print_hex_var(buf + 44 + a, t - 16);
  } else {
    for (i = 0; i < t; i++) dirty |= buf[44 + a + i];
    printf(dirty ? "fail-unwiped\n" : "fail\n");
  }
  return 1;
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

/* Hex fields into buf one after another; lens[i] gets each length. Returns the total or -1. */
static long unhex_fields(char **fields, int n, uint8_t *buf, long cap, long *lens) {
  long at = 0, got;
  int i;
  for (i = 0; i < n; i++) {
    got = unhex_var(fields[i], buf + at, cap - at);
    if (got < 0) return -1;
    lens[i] = got;
    at += got;
  }
  return at;
}

static int split_fields(char *rest, char **fields, int n) {
  int i;
  for (i = 0; i < n; i++) {
    fields[i] = strtok(i == 0 ? rest : NULL, " \n");
    if (!fields[i]) return 0;
  }
  return strtok(NULL, " \n") == NULL;
}

static uint8_t kdf_buf[AEAD_MAX_BYTES + 8192];

static int hmac_line(char *rest) {
  char *f[2];
  long lens[2], at;
  if (!split_fields(rest, f, 2) || (at = unhex_fields(f, 2, kdf_buf, AEAD_MAX_BYTES, lens)) < 0) return 0;
  fl_hmac_sha256(kdf_buf, (uint32_t)lens[0], (uint32_t)lens[1]);
  print_hex_var(kdf_buf + at, 32);
  return 1;
}

static int hkdf_line(char *rest) {
  char *f[4];
  long lens[3], at, out_len;
  if (!split_fields(rest, f, 4) || (at = unhex_fields(f, 3, kdf_buf, AEAD_MAX_BYTES, lens)) < 0) return 0;
  if (sscanf(f[3], "%ld", &out_len) != 1 || out_len < 0 || out_len > FL_HKDF_SHA256_MAX || lens[0] > 0xffff || lens[1] > 0xffff || lens[2] > 0xffff) return 0;
  fl_hkdf_sha256(kdf_buf, (uint32_t)(lens[0] | lens[1] << 16), (uint32_t)(lens[2] | out_len << 16));
  print_hex_var(kdf_buf + at, out_len);
  return 1;
}

/* The CAVP HMAC_DRBG order through the kernel's two DRBG calls. */
static int drbg_line(char *rest) {
  char *f[8];
  long lens[3], n, i, round;
  if (!split_fields(rest, f, 8) || sscanf(f[7], "%ld", &n) != 1 || n < 1 || n > 4096) return 0;
  for (i = 0; i < 32; i++) kdf_buf[i] = 0, kdf_buf[32 + i] = 1;
  if (unhex_fields(f, 3, kdf_buf + 64, AEAD_MAX_BYTES, lens) < 0) return 0;
  fl_hmac_drbg_update(kdf_buf, (uint32_t)(lens[0] + lens[1] + lens[2]));
  if (strcmp(f[3], "-") != 0) {
    if (unhex_fields(f + 3, 2, kdf_buf + 64, AEAD_MAX_BYTES, lens) < 0) return 0;
    fl_hmac_drbg_update(kdf_buf, (uint32_t)(lens[0] + lens[1]));
  }
  for (round = 0; round < 2; round++) {
    if (unhex_fields(f + 5 + round, 1, kdf_buf + 64, AEAD_MAX_BYTES, lens) < 0) return 0;
    fl_hmac_drbg_generate(kdf_buf, (uint32_t)n, (uint32_t)lens[0]);
  }
  print_hex_var(kdf_buf + 64 + lens[0], n);
  return 1;
}

/* The one-shot hashes of one hex message. */
static int sha_line(char which, char *rest) {
  char *f[1];
  long lens[1];
  uint8_t out[64];
  if (!split_fields(rest, f, 1) || unhex_fields(f, 1, kdf_buf, AEAD_MAX_BYTES, lens) < 0) return 0;
  if (which == '2') fl_sha256(out, kdf_buf, (uint32_t)lens[0]);
  else fl_sha512(out, kdf_buf, (uint32_t)lens[0]);
  print_hex_var(out, which == '2' ? 32 : 64);
  return 1;
}

int main(void) {
  static char line[LINE_MAX_BYTES];
  char a[128], b[128];
  uint8_t k[32], u[32], out[32];
  long n;
  while (fgets(line, sizeof line, stdin)) {
    if ((line[0] == 's' || line[0] == 'o') && line[1] == ' ') {
      if (!aead_line(line[0], line + 2)) printf("error bad line\n");
    } else if (line[0] == 'h' && line[1] == ' ') {
      if (!hmac_line(line + 2)) printf("error bad line\n");
    } else if (line[0] == 'k' && line[1] == ' ') {
      if (!hkdf_line(line + 2)) printf("error bad line\n");
    } else if ((line[0] == '2' || line[0] == '5') && line[1] == ' ') {
      if (!sha_line(line[0], line + 2)) printf("error bad line\n");
    } else if (line[0] == 'd' && line[1] == ' ') {
      if (!drbg_line(line + 2)) printf("error bad line\n");
    } else if (sscanf(line, "x %127s %127s", a, b) == 2 && unhex(a, k) && unhex(b, u)) {
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
