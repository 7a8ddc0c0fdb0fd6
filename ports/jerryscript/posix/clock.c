/* The clock: CLOCK_MONOTONIC from the process start (a reboot starts it again, as on a chip). */
#include <time.h>
#include "../platform.h"

static double boot_us = -1;

static double monotonic_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec * 1e6 + (double) ts.tv_nsec / 1e3;
}

double fl_now_us(void) {
  double now = monotonic_us();
  if (boot_us < 0) boot_us = now;
  return now - boot_us;
}
