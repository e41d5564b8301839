/*
 * port_host.c — the C reference pen on a POSIX host, serving a pseudo-terminal
 * (software-in-the-loop).
 *
 * Creates a pty (posix_openpt, grantpt, unlockpt), puts it in raw mode, prints the path
 * of its far side as the first line on standard output (e.g. "/dev/pts/7") and serves the
 * pen there until SIGINT, SIGTERM or SIGHUP. It keeps its own handle on the far side, so a
 * bench that closes the port does not end the pen: the next bench to open the path says
 * hello and starts a fresh session, as with a powered pen on a USB port.
 *
 *     pen-host [--cartridge-limit-s S]    # prints the pty path, then serves
 *     needlebench run SCENARIO --pen-cmd 'pen-host --cartridge-limit-s {cartridge_limit_s}'
 *
 * --cartridge-limit-s S (else the environment's NEEDLEBENCH_CARTRIDGE_LIMIT_S, else 1800)
 * sets the single-use running time per cartridge, s: the one firmware setting scenarios
 * override, which the bench puts in a pen command's `{cartridge_limit_s}` and environment.
 *
 * Exit status: 0 on a signal, 1 if the pty cannot be created or the port fails, 2 for a
 * bad argument.
 */
#define _XOPEN_SOURCE 600
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "pen.h"

/* Frames to send, written to the pty once per batch of input (one write per tick). */
typedef struct {
    int fd;
    uint8_t buf[65536];
    size_t len;
} out_buf;

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

static uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void flush_out(out_buf *out) {
    size_t done = 0;
    while (done < out->len) {
        ssize_t n = write(out->fd, out->buf + done, out->len - done);
        if (n > 0) {
            done += (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd pfd = {out->fd, POLLOUT, 0};
            if (poll(&pfd, 1, 100) == 0) break; /* nobody reads: drop, as a UART would */
        } else {
            break;
        }
    }
    out->len = 0;
}

static void emit(void *ctx, const uint8_t *frame, size_t len) {
    out_buf *out = ctx;
    if (sizeof out->buf - out->len < len) flush_out(out);
    memcpy(out->buf + out->len, frame, len);
    out->len += len;
}

static int set_raw(int fd) {
    struct termios t;
    if (tcgetattr(fd, &t) != 0) return -1;
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON |
                             IXOFF);
    t.c_oflag &= ~(tcflag_t)OPOST;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB);
#ifdef CRTSCTS
    t.c_cflag &= ~(tcflag_t)CRTSCTS; /* not POSIX, but present on Linux and the BSDs */
#endif
    t.c_cflag |= CS8 | CREAD | CLOCAL;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    return tcsetattr(fd, TCSANOW, &t);
}

/* The cartridge limit from argv or the environment into `config`; -1 on a bad value. */
static int configure(int argc, char **argv, pen_fw_config *config) {
    const char *limit = getenv("NEEDLEBENCH_CARTRIDGE_LIMIT_S");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cartridge-limit-s") == 0 && i + 1 < argc) {
            limit = argv[++i];
        } else {
            fprintf(stderr, "pen-host: unknown argument '%s' (usage: pen-host "
                            "[--cartridge-limit-s SECONDS])\n", argv[i]);
            return -1;
        }
    }
    if (limit != NULL) {
        char *end;
        unsigned long s = strtoul(limit, &end, 10);
        if (*limit == '\0' || *end != '\0' || s == 0 || s > 0xFFFFFFFFul) {
            fprintf(stderr, "pen-host: cartridge limit '%s' is not a whole number of seconds "
                            "above 0\n", limit);
            return -1;
        }
        config->cartridge_max_run_s = (uint32_t)s;
    }
    return 0;
}

int main(int argc, char **argv) {
    static pen p;
    pen_fw_config config = pen_fw_default_config();
    if (configure(argc, argv, &config) != 0) return 2;
    static out_buf out;
    static uint8_t in[4096];

    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        perror("pen-host: creating a pseudo-terminal");
        return 1;
    }
    const char *path = ptsname(master);
    if (path == NULL) {
        perror("pen-host: ptsname");
        return 1;
    }
    /* Our own handle on the far side: the pty stays up between benches. */
    int far_side = open(path, O_RDWR | O_NOCTTY);
    if (far_side < 0 || set_raw(far_side) != 0 || set_raw(master) != 0) {
        perror("pen-host: opening the pty in raw mode");
        return 1;
    }
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    out.fd = master;
    if (pen_init(&p, &config, emit, &out) != 0) {
        fprintf(stderr, "pen-host: the pen's configuration is invalid\n");
        return 1;
    }
    printf("%s\n", path);
    fflush(stdout);

    while (!stop_requested) {
        int timeout_ms = -1;
        uint64_t deadline;
        if (nb_pen_link_next_deadline_us(&p.link, &deadline)) {
            uint64_t now = now_us();
            timeout_ms = deadline <= now ? 0 : (int)((deadline - now + 999u) / 1000u);
        }
        struct pollfd pfd = {master, POLLIN, 0};
        int ready = poll(&pfd, 1, timeout_ms);
        if (ready < 0 && errno != EINTR) {
            perror("pen-host: poll");
            return 1;
        }
        if (ready > 0 && (pfd.revents & POLLIN)) {
            ssize_t n = read(master, in, sizeof in);
            if (n > 0) {
                pen_on_bytes(&p, in, (size_t)n, now_us());
            } else if (n < 0 && errno != EAGAIN && errno != EINTR && errno != EIO) {
                perror("pen-host: reading the pty");
                return 1;
            }
        }
        pen_poll(&p, now_us());
        if (out.len > 0) flush_out(&out);
    }
    fprintf(stderr, "pen-host: %llu sessions, %llu ticks, %llu replies re-sent\n",
            (unsigned long long)p.link.stats.sessions, (unsigned long long)p.link.stats.ticks_run,
            (unsigned long long)p.link.stats.replies_resent);
    close(far_side);
    close(master);
    return 0;
}
