/*
 * fl_wait_event on the host: poll() over stdin (control lines), the TCP listener and the link's
 * peer, until one of them makes an event or the deadline passes.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <unistd.h>
#include "posix.h"

/* Events already made and not yet handed out (a control chunk with several lines, a close). */
static int take_queued(fl_event *ev) {
  return posix_link_take_close(ev) || posix_control_take_pending(ev);
}

static int timeout_ms(double deadline_us) {
  if (deadline_us < 0) return -1;
  double left = deadline_us - fl_now_us();
  if (left <= 0) return 0;
  return (int) ceil(left / 1000.0);
}

int fl_wait_event(double deadline_us, fl_event *ev) {
  for (;;) {
    if (take_queued(ev)) return 1;
    struct pollfd fds[3];
    int n = 0, client = posix_link_client_fd();
    fds[n++] = (struct pollfd) { STDIN_FILENO, POLLIN, 0 };
    fds[n++] = (struct pollfd) { posix_link_listen_fd(), POLLIN, 0 };
    if (client >= 0) fds[n++] = (struct pollfd) { client, (short) (POLLIN | (posix_link_wants_write() ? POLLOUT : 0)), 0 };
    int r = poll(fds, (nfds_t) n, timeout_ms(deadline_us));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      if (deadline_us >= 0 && fl_now_us() >= deadline_us) return 0;
      continue;
    }
    if (n == 3 && fds[2].revents && posix_link_on_client(fds[2].revents, ev)) return 1;
    if (fds[0].revents && posix_control_on_input(ev)) return 1;
    if (fds[1].revents && posix_link_on_listener(ev)) return 1;
    if (deadline_us >= 0 && fl_now_us() >= deadline_us) return 0;
  }
}
