/*
 * The commissioner link: a TCP listener on 127.0.0.1 (port 0 = any free port; the bound port is
 * announced on stdout as "link tcp://127.0.0.1:PORT"). One peer at a time: while one is connected
 * the listener is not polled, so a second connection waits in the backlog until the first has gone
 * (as a BLE peripheral stops advertising while connected). Sends are queued (copied) and flushed
 * when the socket takes them; a full queue answers BUSY.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "posix.h"

#define SEND_QUEUE_BYTES 16384
#define RECEIVE_CHUNK 1024

static int listen_fd = -1, client_fd = -1, bound_port;
static int close_requested;
static uint8_t queue[SEND_QUEUE_BYTES];
static size_t queued;
static uint8_t received[RECEIVE_CHUNK];

int posix_link_listen(int port) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  int one = 1;
  listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd < 0) return -1;
  setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons((uint16_t) port);
  if (bind(listen_fd, (struct sockaddr *) &a, sizeof a) != 0 || listen(listen_fd, 4) != 0) return -1;
  if (getsockname(listen_fd, (struct sockaddr *) &a, &len) != 0) return -1;
  bound_port = ntohs(a.sin_port);
  return 0;
}

int posix_link_port(void) {
  return bound_port;
}

int posix_link_listen_fd(void) {
  return client_fd >= 0 ? -1 : listen_fd;
}

int posix_link_client_fd(void) {
  return client_fd;
}

int posix_link_wants_write(void) {
  return client_fd >= 0 && queued > 0;
}

static void drop_client(void) {
  if (client_fd >= 0) close(client_fd);
  client_fd = -1;
  queued = 0;
}

int posix_link_on_listener(fl_event *ev) {
  if (client_fd >= 0) return 0;
  int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return 0;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  client_fd = fd;
  ev->kind = FL_EV_LINK_UP;
  return 1;
}

/* Writes what the socket takes from the queue; -1 when the peer is gone. */
static int flush_queue(void) {
  while (queued > 0) {
    ssize_t n = send(client_fd, queue, queued, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    memmove(queue, queue + n, queued - (size_t) n);
    queued -= (size_t) n;
  }
  return 0;
}

int posix_link_on_client(short revents, fl_event *ev) {
  if ((revents & POLLOUT) && flush_queue() < 0) {
    drop_client();
    ev->kind = FL_EV_LINK_DOWN;
    return 1;
  }
  if (!(revents & (POLLIN | POLLHUP | POLLERR))) return 0;
  ssize_t n = recv(client_fd, received, sizeof received, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return 0;
  if (n <= 0) {
    drop_client();
    ev->kind = FL_EV_LINK_DOWN;
    return 1;
  }
  ev->kind = FL_EV_LINK_DATA;
  ev->data = received;
  ev->length = (size_t) n;
  return 1;
}

int posix_link_take_close(fl_event *ev) {
  if (!close_requested) return 0;
  close_requested = 0;
  ev->kind = FL_EV_LINK_DOWN;
  return 1;
}

fl_status fl_link_send(const uint8_t *bytes, size_t n) {
  if (client_fd < 0) return FL_ERR_CLOSED;
  if (n > SEND_QUEUE_BYTES - queued) return FL_ERR_BUSY;
  memcpy(queue + queued, bytes, n);
  queued += n;
  if (flush_queue() < 0) {
    queued = 0;
    return FL_ERR_CLOSED;
  }
  return FL_OK;
}

void fl_link_close(void) {
  if (client_fd < 0) return;
  flush_queue();
  drop_client();
  close_requested = 1;
}
