/*
 * The NOR area in a file: pageSize x pageCount bytes, erased = 0xFF. Programming ANDs bytes in
 * (bits only go 1 -> 0), erase sets a page to 0xFF, and every operation goes to the file before it
 * returns, so killing the process loses nothing the chip would have kept.
 *
 * Power cuts: posix_flash_cut_after(n) makes the n-th program/erase from now the last: it writes a
 * prefix of random length (a torn operation), then the process exits at once with status 99 after
 * a "powercut" line, as a chip loses power mid-write.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "posix.h"

#define POWER_CUT_STATUS 99

static int fd = -1;
static uint32_t page_size, page_count, write_size;
static uint32_t ops_to_cut;  /* 0: no cut pending */
static uint32_t ops_done;

static uint32_t area_size(void) {
  return page_size * page_count;
}

int posix_flash_open(const char *path, uint32_t p, uint32_t c, uint32_t w) {
  page_size = p;
  page_count = c;
  write_size = w;
  fd = open(path, O_RDWR | O_CREAT, 0600);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) != 0) return -1;
  /* A new or short file is erased flash up to the area's size. */
  if ((uint64_t) st.st_size < area_size()) {
    uint8_t ff[256];
    memset(ff, 0xff, sizeof ff);
    for (uint32_t at = (uint32_t) st.st_size; at < area_size(); at += sizeof ff) {
      size_t n = area_size() - at < sizeof ff ? area_size() - at : sizeof ff;
      if (pwrite(fd, ff, n, at) != (ssize_t) n) return -1;
    }
  }
  return 0;
}

void posix_flash_cut_after(uint32_t n) {
  ops_to_cut = n;
}

void fl_flash_geometry(uint32_t *p, uint32_t *c, uint32_t *w) {
  *p = page_size;
  *c = page_count;
  *w = write_size;
}

fl_status fl_flash_read(uint32_t addr, uint8_t *out, size_t len) {
  if (addr > area_size() || len > area_size() - addr) return FL_ERR_SIZE;
  if (len == 0) return FL_OK;
  return pread(fd, out, len, addr) == (ssize_t) len ? FL_OK : FL_ERR_FAIL;
}

/* A random length 0 ... n: how much of an interrupted operation reached the cells. */
static size_t torn_length(size_t n) {
  uint8_t r[2];
  if (fl_trng_read(r, 2) != FL_OK) return n / 2;
  return (((size_t) r[0] << 8) | r[1]) % (n + 1);
}

static void power_cut(void) {
  char text[48];
  snprintf(text, sizeof text, "during flash operation %u", ops_done);
  posix_emit("powercut", text);
  fflush(stdout);
  _exit(POWER_CUT_STATUS);
}

/* Counts one program/erase; true when the power dies during this one. */
static int cut_now(void) {
  ops_done++;
  if (ops_to_cut == 0) return 0;
  return --ops_to_cut == 0;
}

/* ANDs bytes[0 .. n) into the file at addr. */
static fl_status and_into(uint32_t addr, const uint8_t *bytes, size_t n) {
  uint8_t cells[256];
  for (size_t done = 0; done < n; done += sizeof cells) {
    size_t k = n - done < sizeof cells ? n - done : sizeof cells;
    if (pread(fd, cells, k, addr + done) != (ssize_t) k) return FL_ERR_FAIL;
    for (size_t i = 0; i < k; i++) cells[i] &= bytes[done + i];
    if (pwrite(fd, cells, k, addr + done) != (ssize_t) k) return FL_ERR_FAIL;
  }
  return FL_OK;
}

fl_status fl_flash_program(uint32_t addr, const uint8_t *bytes, size_t len) {
  if (addr > area_size() || len > area_size() - addr) return FL_ERR_SIZE;
  if (addr % write_size != 0 || len % write_size != 0) return FL_ERR_ALIGN;
  if (len > 0 && addr / page_size != (addr + len - 1) / page_size) return FL_ERR_SIZE;
  if (cut_now()) {
    and_into(addr, bytes, torn_length(len));
    power_cut();
  }
  return and_into(addr, bytes, len);
}

/* Sets [addr, addr + n) to 0xFF. */
static fl_status fill_erased(uint32_t addr, size_t n) {
  uint8_t ff[256];
  memset(ff, 0xff, sizeof ff);
  for (size_t done = 0; done < n; done += sizeof ff) {
    size_t k = n - done < sizeof ff ? n - done : sizeof ff;
    if (pwrite(fd, ff, k, addr + done) != (ssize_t) k) return FL_ERR_FAIL;
  }
  return FL_OK;
}

fl_status fl_flash_erase(uint32_t page) {
  if (page >= page_count) return FL_ERR_SIZE;
  if (cut_now()) {
    fill_erased(page * page_size, torn_length(page_size));
    power_cut();
  }
  return fill_erased(page * page_size, page_size);
}
