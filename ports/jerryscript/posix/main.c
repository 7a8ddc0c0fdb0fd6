/*
 * The host board: boots the device image's snapshot on the POSIX platform.
 *
 *   firstlight-jerry --image IMAGE.snapshot --literals IMAGE.literals --board BOARD.json --setup-code 8DIGITS --flash FILE
 *                    [--secret FILE] [--heap-kb 64] [--window-ms N] [--geometry 4096,8,4]
 *                    [--port N] [--cut-after N]
 *
 * stdout carries one line per event for the test harness: "link tcp://127.0.0.1:PORT", "log T TEXT"
 * (T: ms since boot), "pin NAME LEVEL T", "status {...}", "powercut ...", "reboot". stdin carries
 * control lines (control.c). A reboot re-executes the program with the same arguments and the
 * same port.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../binding/engine.h"
#include "posix.h"

static char **boot_argv;

void posix_emit(const char *kind, const char *text) {
  printf("%s %s\n", kind, text);
  fflush(stdout);
}

void fl_log_line(const char *line, size_t n) {
  printf("log %.3f %.*s\n", fl_now_us() / 1000.0, (int) n, line);
  fflush(stdout);
}

void fl_report_line(const char *line) {
  printf("%s\n", line);
  fflush(stdout);
}

void fl_reboot(void) {
  char port[16];
  snprintf(port, sizeof port, "%d", posix_link_port());
  setenv("FIRSTLIGHT_PORT", port, 1);
  posix_emit("reboot", "");
  execv("/proc/self/exe", boot_argv);
  perror("reboot: execv");
  _exit(1);
}

/* The whole file, mapped copy-on-write. The snapshot is executed in place, as from flash, but
 * JerryScript 3.0 stores each function's script pointer into its header while loading it, so the
 * mapping must take writes (docs/boards.md: on a chip the snapshot sits in RAM for that reason). */
static const uint32_t *map_file(const char *path, size_t *size) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) return NULL;
  void *p = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return NULL;
  *size = (size_t) st.st_size;
  return p;
}

static char *read_text(const char *path) {
  size_t size;
  const uint32_t *p = map_file(path, &size);
  if (p == NULL) return NULL;
  char *s = malloc(size + 1);
  if (s == NULL) return NULL;
  memcpy(s, p, size);
  s[size] = 0;
  munmap((void *) p, size);
  return s;
}

static int usage(const char *problem) {
  fprintf(stderr, "firstlight-jerry: %s\nusage: firstlight-jerry --image IMAGE.snapshot --literals IMAGE.literals --board BOARD.json --setup-code 8DIGITS --flash FILE [--secret FILE] [--heap-kb 64] [--window-ms N] [--geometry 4096,8,4] [--port N] [--cut-after N]\n", problem);
  return 2;
}

int main(int argc, char **argv) {
  const char *image = NULL, *literals = NULL, *board = NULL, *flash = NULL;
  fl_boot_config cfg;
  unsigned page_size = 4096, page_count = 8, write_size = 4, heap_kb = 64, cut_after = 0;
  int port = 0;
  memset(&cfg, 0, sizeof cfg);
  boot_argv = argv;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (v == NULL) return usage("every option takes a value");
    i++;
    if (strcmp(a, "--image") == 0) image = v;
    else if (strcmp(a, "--literals") == 0) literals = v;
    else if (strcmp(a, "--board") == 0) board = v;
    else if (strcmp(a, "--setup-code") == 0) cfg.setup_code = v;
    else if (strcmp(a, "--flash") == 0) flash = v;
    else if (strcmp(a, "--secret") == 0) posix_secret_path(v);
    else if (strcmp(a, "--heap-kb") == 0 && sscanf(v, "%u", &heap_kb) == 1 && heap_kb >= 16 && heap_kb <= 512) continue;
    else if (strcmp(a, "--window-ms") == 0 && sscanf(v, "%u", &cfg.window_ms) == 1) continue;
    else if (strcmp(a, "--geometry") == 0 && sscanf(v, "%u,%u,%u", &page_size, &page_count, &write_size) == 3) continue;
    else if (strcmp(a, "--port") == 0 && sscanf(v, "%d", &port) == 1 && port >= 0 && port <= 65535) continue;
    else if (strcmp(a, "--cut-after") == 0 && sscanf(v, "%u", &cut_after) == 1) continue;
    else return usage(a);
  }
  if (image == NULL || literals == NULL || board == NULL || cfg.setup_code == NULL || flash == NULL)
    return usage("--image, --literals, --board, --setup-code and --flash are required");
  const char *again = getenv("FIRSTLIGHT_PORT");
  if (again != NULL) port = atoi(again);
  cfg.snapshot = map_file(image, &cfg.snapshot_bytes);
  if (cfg.snapshot == NULL) return usage("cannot read the image");
  cfg.literals = (const uint8_t *) map_file(literals, &cfg.literals_bytes);
  if (cfg.literals == NULL) return usage("cannot read the literal table");
  cfg.board_json = read_text(board);
  if (cfg.board_json == NULL) return usage("cannot read the board file");
  cfg.heap_bytes = (size_t) heap_kb * 1024;
  if (posix_flash_open(flash, page_size, page_count, write_size) != 0) return usage("cannot open the flash file");
  posix_flash_cut_after(cut_after);
  if (posix_link_listen(port) != 0) return usage("cannot listen on 127.0.0.1");
  char url[48];
  snprintf(url, sizeof url, "tcp://127.0.0.1:%d", posix_link_port());
  posix_emit("link", url);
  return fl_run(&cfg) == 0 ? 0 : 1;
}
