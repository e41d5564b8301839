/*
 * pen.h — the C reference pen: the firmware core (firmware.h) behind the SDK's link.
 *
 * Platform-independent: a port creates one `pen`, feeds it the bytes its UART (or pty)
 * received with pen_on_bytes, calls pen_poll when a real-time tick is due, and sends the
 * frames `emit` hands it. Nothing here does I/O or reads a clock.
 */
#ifndef PEN_PEN_H
#define PEN_PEN_H

#include "firmware.h"
#include "needlebench.h"

typedef struct {
    pen_fw fw;
    nb_pen_link link;
} pen;

/** Sets up `p` with `config` (pen_fw_default_config, perhaps with the one setting scenarios
 *  override: cartridge_max_run_s); `emit(emit_ctx, frame, len)` receives each frame to send.
 *  Returns 0, or -1 if the configuration or the link cannot start. */
int pen_init(pen *p, const pen_fw_config *config, nb_emit_fn emit, void *emit_ctx);

/** Bytes received at `now_us` (any monotonic µs clock; 0 if the port has none). */
void pen_on_bytes(pen *p, const uint8_t *bytes, size_t n, uint64_t now_us);

/** Real time: runs the ticks due by `now_us`. */
void pen_poll(pen *p, uint64_t now_us);

#endif /* PEN_PEN_H */
