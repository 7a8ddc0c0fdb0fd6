/* The device secret: 32 bytes from a file (--secret); no file, no secret (FL_ERR_OFF). */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "posix.h"

static const char *secret_path;

void posix_secret_path(const char *path) {
  secret_path = path;
}

fl_status fl_device_secret(uint8_t out[32]) {
  if (secret_path == NULL) return FL_ERR_OFF;
  int fd = open(secret_path, O_RDONLY);
  if (fd < 0) return FL_ERR_OFF;
  ssize_t n = read(fd, out, 32);
  close(fd);
  if (n != 32) {
    memset(out, 0, 32);
    return FL_ERR_OFF;
  }
  return FL_OK;
}
