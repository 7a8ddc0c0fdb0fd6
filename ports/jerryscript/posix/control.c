/*
 * The test harness's control lines on stdin, one command a line:
 *   pin NAME LEVEL   drive an input (the button) to 0 or 1
 *   status           report the device's status() and the heap figures ("status {...}" on stdout)
 *   cut N            cut the power during the N-th flash program/erase from now
 * End of input is the power switch: the process exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pins.h"
#include "posix.h"

static char line[256];
static size_t line_len;

/* One complete line; 1 with *ev filled when it makes an event. */
static int run_line(const char *l, fl_event *ev) {
  char name[FL_PIN_NAME_MAX + 1];
  int level;
  unsigned n;
  memset(ev, 0, sizeof *ev);
  if (sscanf(l, "pin %16s %d", name, &level) == 2 && (level == 0 || level == 1) && strlen(name) < FL_PIN_NAME_MAX)
    return posix_pin_drive(name, level, ev);
  if (strcmp(l, "status") == 0) {
    ev->kind = FL_EV_REPORT;
    return 1;
  }
  if (sscanf(l, "cut %u", &n) == 1) {
    posix_flash_cut_after(n);
    return 0;
  }
  posix_emit("error", "unknown control line");
  return 0;
}

static char pending[4096];
static size_t pending_len;

/* Reads what stdin has and keeps it; lines are taken one at a time by posix_control_take_pending. */
int posix_control_on_input(fl_event *ev) {
  ssize_t n = read(STDIN_FILENO, pending + pending_len, sizeof pending - pending_len);
  if (n == 0) {
    fflush(stdout);
    _exit(0);
  }
  if (n > 0) pending_len += (size_t) n;
  return posix_control_take_pending(ev);
}

int posix_control_take_pending(fl_event *ev) {
  while (pending_len > 0) {
    char c = pending[0];
    memmove(pending, pending + 1, --pending_len);
    if (c != '\n') {
      if (line_len < sizeof line - 1) line[line_len++] = c;
      continue;
    }
    line[line_len] = 0;
    line_len = 0;
    if (run_line(line, ev)) return 1;
  }
  if (pending_len == sizeof pending) pending_len = 0;
  return 0;
}
