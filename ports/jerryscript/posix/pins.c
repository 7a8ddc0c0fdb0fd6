/*
 * Pins on the host: inputs the test harness drives (control.c) and outputs written to stdout.
 * Every input starts high (a pulled-up button, released); a watched input reports its edges.
 */
#include <stdio.h>
#include <string.h>
#include "pins.h"
#include "posix.h"

#define MAX_PINS 8

typedef struct {
  char name[FL_PIN_NAME_MAX];
  int level;
  int watched;
} pin_state;

static pin_state pins[MAX_PINS];
static int pin_count;

static pin_state *find_pin(const char *name, int create) {
  for (int i = 0; i < pin_count; i++)
    if (strcmp(pins[i].name, name) == 0) return &pins[i];
  if (!create || pin_count == MAX_PINS || strlen(name) >= FL_PIN_NAME_MAX) return NULL;
  pin_state *p = &pins[pin_count++];
  strcpy(p->name, name);
  p->level = 1;
  p->watched = 0;
  return p;
}

fl_status fl_pin_watch(const char *pin) {
  pin_state *p = find_pin(pin, 1);
  if (p == NULL) return FL_ERR_OFF;
  p->watched = 1;
  return FL_OK;
}

void fl_pin_unwatch(const char *pin) {
  pin_state *p = find_pin(pin, 0);
  if (p != NULL) p->watched = 0;
}

void fl_pin_write(const char *pin, int level) {
  pin_state *p = find_pin(pin, 1);
  char text[64];
  if (p == NULL || p->level == level) return;
  p->level = level;
  snprintf(text, sizeof text, "%s %d %.3f", pin, level, fl_now_us() / 1000.0);
  posix_emit("pin", text);
}

int posix_pin_drive(const char *pin, int level, fl_event *ev) {
  pin_state *p = find_pin(pin, 1);
  if (p == NULL || p->level == level) return 0;
  p->level = level;
  if (!p->watched) return 0;
  memset(ev, 0, sizeof *ev);
  ev->kind = FL_EV_EDGE;
  strcpy(ev->pin, p->name);
  ev->level = level;
  ev->time_us = fl_now_us();
  return 1;
}
