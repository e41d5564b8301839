/*
 * pen.c — the C reference pen: firmware.c behind the SDK's nb_pen_link. See pen.h.
 */
#include "pen.h"

static void on_hello(void *ctx, nb_pen_hello *hello) { *hello = pen_fw_hello(&((pen *)ctx)->fw); }

static void on_session_start(void *ctx) { pen_fw_session_start(&((pen *)ctx)->fw); }

static void on_tick(void *ctx, uint32_t tick, uint64_t now_us, const nb_sensors *sensors,
                    nb_tick_reply *reply) {
    pen *p = ctx;
    nb_event event;
    (void)tick; /* the firmware keeps its own tick count, from the frames it receives */
    reply->actuators = pen_fw_tick(&p->fw, now_us, sensors);
    while (pen_fw_poll_event(&p->fw, &event)) {
        if (reply->n_events < NB_REPLY_MAX_EVENTS) reply->events[reply->n_events] = event;
        reply->n_events++; /* the link counts any beyond its capacity as dropped */
    }
}

int pen_init(pen *p, const pen_fw_config *config, nb_emit_fn emit, void *emit_ctx) {
    nb_pen_firmware fw;
    if (pen_fw_init(&p->fw, config) != 0) return -1;
    fw.ctx = p;
    fw.hello = on_hello;
    fw.session_start = on_session_start;
    fw.tick = on_tick;
    return nb_pen_link_init(&p->link, &fw, config->tick_rate_hz, emit, emit_ctx) == NB_OK ? 0 : -1;
}

void pen_on_bytes(pen *p, const uint8_t *bytes, size_t n, uint64_t now_us) {
    nb_pen_link_on_bytes(&p->link, bytes, n, now_us);
}

void pen_poll(pen *p, uint64_t now_us) { nb_pen_link_poll(&p->link, now_us); }
