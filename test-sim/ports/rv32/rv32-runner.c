/*
 * The kernel's vector runner for RV32IMC (the ESP32-C3's instruction set), freestanding: built with
 * riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 and run under qemu-riscv32 (Linux user mode),
 * reaching stdin and stdout through the Linux system calls read, write and exit (ecall). It speaks
 * the lines of vector-runner.c that the tests feed both runners:
 *   "x <scalar> <point>", "b <scalar>", "e <r>", "s <key> <nonce> <aad> <pt>", "o <key> <nonce> <aad> <ct‖tag>",
 *   "h <key> <msg>", "k <salt> <ikm> <info> <L>", "2 <msg>", "5 <msg>"   ("-" = empty hex)
 * and answers "<hex>", "fail" / "fail-unwiped" (a refused open), or "error bad line".
 */
#include <stdint.h>
#include "firstlight_accel.h"

static long sys3(long n, long a, long b, long c) {
  register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c, a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

#define SYS_READ 63
#define SYS_WRITE 64
#define SYS_EXIT 93

/* gcc may emit calls to these for struct copies and clears even with -fno-builtin. */
void *memcpy(void *d, const void *s, unsigned long n) {
  uint8_t *dd = d;
  const uint8_t *ss = s;
  while (n--) *dd++ = *ss++;
  return d;
}

void *memset(void *d, int v, unsigned long n) {
  uint8_t *dd = d;
  while (n--) *dd++ = (uint8_t)v;
  return d;
}

#define IN_MAX (1 << 23)
#define BUF_MAX (1 << 17)
static char in[IN_MAX];
static char out[2 * BUF_MAX + 64];
static uint8_t buf[BUF_MAX];

static void put(const char *s, long n) {
  while (n > 0) {
    long w = sys3(SYS_WRITE, 1, (long)s, n);
    if (w <= 0) break;
    s += w;
    n -= w;
  }
}

static void put_hex(const uint8_t *b, long n) {
  static const char digits[] = "0123456789abcdef";
  long i, at = 0;
  if (n == 0) out[at++] = '-';
  for (i = 0; i < n; i++) {
    out[at++] = digits[b[i] >> 4];
    out[at++] = digits[b[i] & 15];
  }
  out[at++] = '\n';
  put(out, at);
}

static void put_line(const char *s) {
  long n = 0;
  while (s[n]) n++;
  put(s, n);
  put("\n", 1);
}

static int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* One hex field of the line (at *p, ended by a space or the end) into dst; its byte count or -1. */
static long field(char **p, uint8_t *dst, long cap) {
  char *s = *p;
  long n = 0;
  while (*s == ' ') s++;
  if (*s == '-' && (s[1] == ' ' || s[1] == 0)) {
    *p = s + 1;
    return 0;
  }
  while (*s && *s != ' ') {
    int hi = nibble(s[0]), lo = s[1] ? nibble(s[1]) : -1;
    if (hi < 0 || lo < 0 || n >= cap) return -1;
    dst[n++] = (uint8_t)(hi << 4 | lo);
    s += 2;
  }
  *p = s;
  return n;
}

static long number(char **p) {
  char *s = *p;
  long v = 0;
  while (*s == ' ') s++;
  if (*s < '0' || *s > '9') return -1;
  while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  *p = s;
  return v;
}

static int at_end(char *p) {
  while (*p == ' ') p++;
  return *p == 0;
}

static int run_line(char *line) {
  char op = line[0], *p = line + 1;
  long a, b, c, n, i;
  uint8_t r[64];
  if (line[1] != ' ') return 0;
  if (op == 'x' || op == 'b') {
    if (field(&p, buf, 32) != 32) return 0;
    if (op == 'x' && field(&p, buf + 32, 32) != 32) return 0;
    if (!at_end(p)) return 0;
    if (op == 'x') fl_x25519(r, buf, buf + 32);
    else fl_x25519_base(r, buf);
    put_hex(r, 32);
  } else if (op == 'e') {
    if (field(&p, buf, 32) != 32 || !at_end(p)) return 0;
    fl_elligator2(r, buf);
    put_hex(r, 32);
  } else if (op == '2' || op == '5') {
    if ((n = field(&p, buf, BUF_MAX)) < 0 || !at_end(p)) return 0;
    if (op == '2') fl_sha256(r, buf, (uint32_t)n);
    else fl_sha512(r, buf, (uint32_t)n);
    put_hex(r, op == '2' ? 32 : 64);
  } else if (op == 'h') {
    if ((a = field(&p, buf, BUF_MAX / 2)) < 0 || (b = field(&p, buf + a, BUF_MAX / 2)) < 0 || !at_end(p)) return 0;
    fl_hmac_sha256(buf, (uint32_t)a, (uint32_t)b);
    put_hex(buf + a + b, 32);
  } else if (op == 'k') {
    if ((a = field(&p, buf, 0xffff)) < 0 || (b = field(&p, buf + a, 0xffff)) < 0 || (c = field(&p, buf + a + b, 0xffff)) < 0) return 0;
    if ((n = number(&p)) < 0 || n > FL_HKDF_SHA256_MAX || !at_end(p)) return 0;
    fl_hkdf_sha256(buf, (uint32_t)(a | b << 16), (uint32_t)(c | n << 16));
    put_hex(buf + a + b + c, n);
  } else if (op == 's' || op == 'o') {
    if (field(&p, buf, 32) != 32 || field(&p, buf + 32, 12) != 12) return 0;
    if ((a = field(&p, buf + 44, BUF_MAX / 4)) < 0 || (b = field(&p, buf + 44 + a, BUF_MAX / 4)) < 0 || !at_end(p)) return 0;
    if (op == 's') {
      fl_aead_seal(buf, (uint32_t)a, (uint32_t)b);
      put_hex(buf + 44 + a, b + 16);
    } else {
      if (b < 16) return 0;
      if (fl_aead_open(buf, (uint32_t)a, (uint32_t)(b - 16))) {
        put_hex(buf + 44 + a, b - 16);
      } else {
        for (c = 0, i = 0; i < b; i++) c |= buf[44 + a + i];
        put_line(c ? "fail-unwiped" : "fail");
      }
    }
  } else {
    return 0;
  }
  return 1;
}

void __attribute__((noreturn)) runner_main(void) {
  long got = 0, r, start = 0, i;
  while ((r = sys3(SYS_READ, 0, (long)(in + got), IN_MAX - 1 - got)) > 0) got += r;
  for (i = 0; i < got; i++) {
    if (in[i] != '\n') continue;
    in[i] = 0;
    if (i > start && !run_line(in + start)) put_line("error bad line");
    start = i + 1;
  }
  sys3(SYS_EXIT, 0, 0, 0);
  for (;;) {
  }
}

/* The entry: a stack from the kernel (qemu user mode sets sp); gp is never used (built with
 * -msmall-data-limit=0 -mno-relax: no gp-relative data). */
__attribute__((naked, noreturn)) void _start(void) {
  __asm__ volatile("call runner_main");
}
