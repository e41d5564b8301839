/*
 * crosscheck — the C SDK's codec driven line by line, for the Rust cross-check test
 * (crates/sdk-c/tests/sdk/crosscheck.rs).
 *
 * Input, one request per line on stdin; one answer line per request on stdout:
 *   D <frame as hex>   decode the frame → "<seq> <fields…> | <the message re-encoded, hex>"
 *                      or "ERR <error name>"
 *   E <seq> <fields…>  encode the message → "<frame, hex>" or "ERR <error name>"
 *
 * Fields, space-separated decimal numbers in wire order after the tag; texts as hex ("-"
 * when empty). E.g. a Grant with seq 3: "3 4 1001 1"; an Event::Log: "9 6 3 2001 2 6869".
 */
#include "needlebench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char text_pool[4][256];

static void put_hex(const uint8_t *p, size_t n) {
    if (n == 0) {
        fputs("-", stdout);
        return;
    }
    for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
}

static void put_str(nb_str s) {
    putchar(' ');
    put_hex((const uint8_t *)s.data, s.len);
}

static void print_fields(uint16_t seq, const nb_message *m) {
    printf("%u %u", seq, (unsigned)m->kind);
    switch (m->kind) {
    case NB_MSG_BENCH_HELLO:
        printf(" %u %u", m->u.bench_hello.protocol_version, (unsigned)m->u.bench_hello.clock);
        break;
    case NB_MSG_PEN_HELLO:
        printf(" %u", m->u.pen_hello.protocol_version);
        put_str(m->u.pen_hello.firmware_name);
        put_str(m->u.pen_hello.firmware_version);
        printf(" %u %lu %u", m->u.pen_hello.lockstep, (unsigned long)m->u.pen_hello.tick_rate_hz,
               (unsigned)m->u.pen_hello.depth_control);
        break;
    case NB_MSG_SENSORS: {
        const nb_sensors *s = &m->u.sensors;
        printf(" %lu %u %lu %u %u %u %u %lu %u %u", (unsigned long)s->tick, s->motor_current_ma,
               (unsigned long)s->hall_period_us, s->battery_mv, s->depth_um, s->buttons,
               s->cartridge_present, (unsigned long)s->cartridge_id, s->cartridge_needle_count,
               s->skin_contact);
        break;
    }
    case NB_MSG_ACTUATORS: {
        const nb_actuators *a = &m->u.actuators;
        printf(" %lu %u %u %u %u %u %u", (unsigned long)a->tick, a->motor_duty_permille,
               a->depth_setpoint_um, a->speed_level, (unsigned)a->indicator, (unsigned)a->state,
               (unsigned)a->fault);
        break;
    }
    case NB_MSG_GRANT:
        printf(" %lu %u", (unsigned long)m->u.grant.until_tick, m->u.grant.with_sensors);
        break;
    case NB_MSG_REACHED:
        printf(" %lu %u", (unsigned long)m->u.reached.tick, m->u.reached.frames);
        break;
    case NB_MSG_EVENT: {
        const nb_event *e = &m->u.event;
        printf(" %u %lu", (unsigned)e->kind, (unsigned long)e->tick);
        switch (e->kind) {
        case NB_EVENT_STATE_CHANGED:
            printf(" %u %u", (unsigned)e->u.state_changed.from, (unsigned)e->u.state_changed.to);
            break;
        case NB_EVENT_FAULT_RAISED:
        case NB_EVENT_FAULT_CLEARED:
            printf(" %u", (unsigned)e->u.fault);
            break;
        case NB_EVENT_LOG:
            printf(" %u", (unsigned)e->u.log.level);
            put_str(e->u.log.text);
            break;
        }
        break;
    }
    }
}

/* Reads the next whitespace-separated token of `*p` as a number. */
static unsigned long next_num(char **p) {
    char *end;
    unsigned long v = strtoul(*p, &end, 10);
    *p = end;
    return v;
}

/* Reads the next token as hex text into text_pool[slot]. */
static nb_str next_text(char **p, int slot) {
    nb_str s = {text_pool[slot], 0};
    while (**p == ' ') (*p)++;
    if (**p == '-') {
        (*p)++;
        return s;
    }
    while ((*p)[0] && (*p)[0] != ' ' && (*p)[0] != '\n' && s.len < sizeof text_pool[slot]) {
        unsigned v;
        sscanf(*p, "%2x", &v);
        text_pool[slot][s.len++] = (char)v;
        *p += 2;
    }
    return s;
}

static void parse_fields(char *p, uint16_t *seq, nb_message *m) {
    memset(m, 0, sizeof *m);
    *seq = (uint16_t)next_num(&p);
    m->kind = (nb_message_kind)next_num(&p);
    switch (m->kind) {
    case NB_MSG_BENCH_HELLO:
        m->u.bench_hello.protocol_version = (uint16_t)next_num(&p);
        m->u.bench_hello.clock = (nb_clock_mode)next_num(&p);
        break;
    case NB_MSG_PEN_HELLO:
        m->u.pen_hello.protocol_version = (uint16_t)next_num(&p);
        m->u.pen_hello.firmware_name = next_text(&p, 0);
        m->u.pen_hello.firmware_version = next_text(&p, 1);
        m->u.pen_hello.lockstep = (uint8_t)next_num(&p);
        m->u.pen_hello.tick_rate_hz = (uint32_t)next_num(&p);
        m->u.pen_hello.depth_control = (nb_depth_control)next_num(&p);
        break;
    case NB_MSG_SENSORS: {
        nb_sensors *s = &m->u.sensors;
        s->tick = (uint32_t)next_num(&p);
        s->motor_current_ma = (uint16_t)next_num(&p);
        s->hall_period_us = (uint32_t)next_num(&p);
        s->battery_mv = (uint16_t)next_num(&p);
        s->depth_um = (uint16_t)next_num(&p);
        s->buttons = (uint8_t)next_num(&p);
        s->cartridge_present = (uint8_t)next_num(&p);
        s->cartridge_id = (uint32_t)next_num(&p);
        s->cartridge_needle_count = (uint8_t)next_num(&p);
        s->skin_contact = (uint8_t)next_num(&p);
        break;
    }
    case NB_MSG_ACTUATORS: {
        nb_actuators *a = &m->u.actuators;
        a->tick = (uint32_t)next_num(&p);
        a->motor_duty_permille = (uint16_t)next_num(&p);
        a->depth_setpoint_um = (uint16_t)next_num(&p);
        a->speed_level = (uint8_t)next_num(&p);
        a->indicator = (nb_indicator)next_num(&p);
        a->state = (nb_firmware_state)next_num(&p);
        a->fault = (nb_fault_code)next_num(&p);
        break;
    }
    case NB_MSG_GRANT:
        m->u.grant.until_tick = (uint32_t)next_num(&p);
        m->u.grant.with_sensors = (uint8_t)next_num(&p);
        break;
    case NB_MSG_REACHED:
        m->u.reached.tick = (uint32_t)next_num(&p);
        m->u.reached.frames = (uint16_t)next_num(&p);
        break;
    case NB_MSG_EVENT: {
        nb_event *e = &m->u.event;
        e->kind = (nb_event_kind)next_num(&p);
        e->tick = (uint32_t)next_num(&p);
        switch (e->kind) {
        case NB_EVENT_STATE_CHANGED:
            e->u.state_changed.from = (nb_firmware_state)next_num(&p);
            e->u.state_changed.to = (nb_firmware_state)next_num(&p);
            break;
        case NB_EVENT_FAULT_RAISED:
        case NB_EVENT_FAULT_CLEARED:
            e->u.fault = (nb_fault_code)next_num(&p);
            break;
        case NB_EVENT_LOG:
            e->u.log.level = (nb_log_level)next_num(&p);
            e->u.log.text = next_text(&p, 2);
            break;
        }
        break;
    }
    }
}

int main(void) {
    static char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        uint8_t frame[NB_MAX_FRAME_LEN];
        size_t len = 0;
        if (line[0] == 'D') {
            uint8_t wire[1024];
            size_t n = 0;
            for (char *p = line + 2; p[0] && p[0] != '\n' && n < sizeof wire; p += 2) {
                unsigned v;
                sscanf(p, "%2x", &v);
                wire[n++] = (uint8_t)v;
            }
            nb_decoder dec;
            nb_decoder_init(&dec);
            nb_decoded d;
            const uint8_t *in = wire;
            nb_feed_status st = NB_FEED_NEED_MORE;
            while (n > 0 && st == NB_FEED_NEED_MORE) st = nb_decoder_feed(&dec, &in, &n, &d);
            if (st == NB_FEED_FRAME) {
                print_fields(d.seq, &d.msg);
                nb_error err = nb_encode_frame(d.seq, &d.msg, frame, sizeof frame, &len);
                fputs(" | ", stdout);
                if (err == NB_OK) {
                    put_hex(frame, len);
                } else {
                    printf("ERR %s", nb_error_name(err));
                }
                putchar('\n');
            } else {
                printf("ERR %s\n", st == NB_FEED_ERROR ? nb_error_name(d.error) : "no_frame");
            }
        } else if (line[0] == 'E') {
            uint16_t seq;
            nb_message m;
            parse_fields(line + 2, &seq, &m);
            nb_error err = nb_encode_frame(seq, &m, frame, sizeof frame, &len);
            if (err == NB_OK) {
                put_hex(frame, len);
                putchar('\n');
            } else {
                printf("ERR %s\n", nb_error_name(err));
            }
        } else {
            printf("ERR bad_request\n");
        }
        fflush(stdout);
    }
    return 0;
}
