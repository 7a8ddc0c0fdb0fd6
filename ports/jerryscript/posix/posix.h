/* What the POSIX platform's files share: its configuration and the pieces fl_wait_event polls. */
#ifndef FIRSTLIGHT_POSIX_H
#define FIRSTLIGHT_POSIX_H

#include <stddef.h>
#include <stdint.h>
#include "../platform.h"

/* flash-file.c: the NOR area in a file. */
int posix_flash_open(const char *path, uint32_t page_size, uint32_t page_count, uint32_t write_size);
/* Cuts the power during the n-th program/erase from now (n >= 1; 0 cancels). */
void posix_flash_cut_after(uint32_t n);

/* link-tcp.c: the commissioner link, a TCP listener on 127.0.0.1. */
int posix_link_listen(int port);
int posix_link_port(void);
/* The fds to poll (-1: not now), and what to do when they are ready (see events.c). */
int posix_link_listen_fd(void);
int posix_link_client_fd(void);
int posix_link_wants_write(void);
/* Accepts, reads or flushes; fills ev and returns 1 when that produced an event. */
int posix_link_on_listener(fl_event *ev);
int posix_link_on_client(short revents, fl_event *ev);
/* A close requested by fl_link_close that has not been reported yet. */
int posix_link_take_close(fl_event *ev);

/* control.c: the test harness's control lines on stdin (see docs/boards.md). */
int posix_control_on_input(fl_event *ev);
/* Events the control lines queued (pin edges). */
int posix_control_take_pending(fl_event *ev);

/* secret.c */
void posix_secret_path(const char *path);

/* main.c: the boot arguments, kept for the reboot (execv). */
void posix_reboot_with(int argc, char **argv);

/* stdout lines for the harness: "log", "led", "status", "link", "powercut", "reboot". */
void posix_emit(const char *kind, const char *text);

#endif
