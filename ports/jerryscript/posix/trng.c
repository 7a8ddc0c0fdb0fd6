/* The TRNG: the kernel's getrandom() (the host's stand-in for the nRF52840 RNG peripheral). */
#include <errno.h>
#include <sys/random.h>
#include "../platform.h"

fl_status fl_trng_read(uint8_t *out, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(out + got, n - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return FL_ERR_FAIL;
    got += (size_t) r;
  }
  return FL_OK;
}
