/*
 * Unit tests of the C SDK against crates/protocol/WIRE.md.
 *
 * Usage: test_sdk PATH/TO/WIRE.md
 *
 * The golden vectors (the ```hex golden=NAME blocks of §6), the varint table of §4.1 and
 * the COBS example of §2.3 are read from WIRE.md at run time, so the document and these
 * tests cannot drift apart. Every golden vector must decode to the message this file
 * expects for its name and encode back to the same bytes; a golden vector without an
 * expectation here fails the run. Exit status 0 when every check passes.
 */
#include "needlebench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        checks++;                                                                              \
        if (!(cond)) {                                                                         \
            failures++;                                                                        \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);           \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
        }                                                                                      \
    } while (0)

static nb_str str_of(const char *s) {
    nb_str r = {s, strlen(s)};
    return r;
}

static int str_eq(nb_str a, nb_str b) {
    return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

/* Field-by-field equality (the unions hold padding, so no memcmp). */
static int event_eq(const nb_event *a, const nb_event *b) {
    if (a->kind != b->kind || a->tick != b->tick) return 0;
    switch (a->kind) {
    case NB_EVENT_STATE_CHANGED:
        return a->u.state_changed.from == b->u.state_changed.from &&
               a->u.state_changed.to == b->u.state_changed.to;
    case NB_EVENT_FAULT_RAISED:
    case NB_EVENT_FAULT_CLEARED:
        return a->u.fault == b->u.fault;
    case NB_EVENT_LOG:
        return a->u.log.level == b->u.log.level && str_eq(a->u.log.text, b->u.log.text);
    }
    return 0;
}

static int msg_eq(const nb_message *a, const nb_message *b) {
    if (a->kind != b->kind) return 0;
    switch (a->kind) {
    case NB_MSG_BENCH_HELLO:
        return a->u.bench_hello.protocol_version == b->u.bench_hello.protocol_version &&
               a->u.bench_hello.clock == b->u.bench_hello.clock;
    case NB_MSG_PEN_HELLO: {
        const nb_pen_hello *x = &a->u.pen_hello, *y = &b->u.pen_hello;
        return x->protocol_version == y->protocol_version &&
               str_eq(x->firmware_name, y->firmware_name) &&
               str_eq(x->firmware_version, y->firmware_version) && x->lockstep == y->lockstep &&
               x->tick_rate_hz == y->tick_rate_hz && x->depth_control == y->depth_control;
    }
    case NB_MSG_SENSORS: {
        const nb_sensors *x = &a->u.sensors, *y = &b->u.sensors;
        return x->tick == y->tick && x->motor_current_ma == y->motor_current_ma &&
               x->hall_period_us == y->hall_period_us && x->battery_mv == y->battery_mv &&
               x->depth_um == y->depth_um && x->buttons == y->buttons &&
               x->cartridge_present == y->cartridge_present &&
               x->cartridge_id == y->cartridge_id &&
               x->cartridge_needle_count == y->cartridge_needle_count &&
               x->skin_contact == y->skin_contact;
    }
    case NB_MSG_ACTUATORS: {
        const nb_actuators *x = &a->u.actuators, *y = &b->u.actuators;
        return x->tick == y->tick && x->motor_duty_permille == y->motor_duty_permille &&
               x->depth_setpoint_um == y->depth_setpoint_um && x->speed_level == y->speed_level &&
               x->indicator == y->indicator && x->state == y->state && x->fault == y->fault;
    }
    case NB_MSG_GRANT:
        return a->u.grant.until_tick == b->u.grant.until_tick &&
               a->u.grant.with_sensors == b->u.grant.with_sensors;
    case NB_MSG_REACHED:
        return a->u.reached.tick == b->u.reached.tick &&
               a->u.reached.frames == b->u.reached.frames;
    case NB_MSG_EVENT:
        return event_eq(&a->u.event, &b->u.event);
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Reading WIRE.md
 * ------------------------------------------------------------------------------------- */

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    text[n] = 0;
    fclose(f);
    return text;
}

/* Parses hex byte pairs separated by spaces from `s` up to `end` (or NUL / a backtick). */
static size_t parse_hex(const char *s, const char *end, uint8_t *out, size_t cap) {
    size_t n = 0;
    while ((end == NULL || s < end) && *s && *s != '`') {
        if (*s == ' ' || *s == '\n' || *s == '\r') {
            s++;
            continue;
        }
        unsigned v;
        if (sscanf(s, "%2x", &v) != 1 || n >= cap) {
            fprintf(stderr, "bad hex in WIRE.md near: %.20s\n", s);
            exit(2);
        }
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

/* The expected message of each golden vector of WIRE.md §6. */
typedef struct {
    const char *name;
    uint16_t seq;
    nb_message msg;
} golden;

static size_t expected_goldens(golden *g) {
    size_t n = 0;
    memset(g, 0, 16 * sizeof *g);
    g[n].name = "bench_hello";
    g[n].msg.kind = NB_MSG_BENCH_HELLO;
    g[n].msg.u.bench_hello.protocol_version = 1;
    g[n].msg.u.bench_hello.clock = NB_CLOCK_LOCKSTEP;
    n++;
    g[n].name = "pen_hello";
    g[n].msg.kind = NB_MSG_PEN_HELLO;
    g[n].msg.u.pen_hello.protocol_version = 1;
    g[n].msg.u.pen_hello.firmware_name = str_of("needlepen-ref");
    g[n].msg.u.pen_hello.firmware_version = str_of("0.1.0");
    g[n].msg.u.pen_hello.lockstep = 1;
    g[n].msg.u.pen_hello.tick_rate_hz = 1000;
    g[n].msg.u.pen_hello.depth_control = NB_DEPTH_MOTORIZED;
    n++;
    g[n].name = "sensors";
    g[n].seq = 258;
    g[n].msg.kind = NB_MSG_SENSORS;
    g[n].msg.u.sensors.tick = 1000;
    g[n].msg.u.sensors.motor_current_ma = 350;
    g[n].msg.u.sensors.hall_period_us = 7692;
    g[n].msg.u.sensors.battery_mv = 3900;
    g[n].msg.u.sensors.depth_um = 1500;
    g[n].msg.u.sensors.buttons = NB_BUTTON_POWER;
    g[n].msg.u.sensors.cartridge_present = 1;
    g[n].msg.u.sensors.cartridge_id = 305419896u;
    g[n].msg.u.sensors.cartridge_needle_count = 12;
    g[n].msg.u.sensors.skin_contact = 1;
    n++;
    g[n].name = "actuators";
    g[n].seq = 258;
    g[n].msg.kind = NB_MSG_ACTUATORS;
    g[n].msg.u.actuators.tick = 1000;
    g[n].msg.u.actuators.motor_duty_permille = 640;
    g[n].msg.u.actuators.depth_setpoint_um = 1500;
    g[n].msg.u.actuators.speed_level = 3;
    g[n].msg.u.actuators.indicator = NB_INDICATOR_GREEN;
    g[n].msg.u.actuators.state = NB_STATE_RUNNING;
    g[n].msg.u.actuators.fault = NB_FAULT_NONE;
    n++;
    g[n].name = "grant";
    g[n].seq = 3;
    g[n].msg.kind = NB_MSG_GRANT;
    g[n].msg.u.grant.until_tick = 1001;
    g[n].msg.u.grant.with_sensors = 1;
    n++;
    g[n].name = "reached";
    g[n].seq = 3;
    g[n].msg.kind = NB_MSG_REACHED;
    g[n].msg.u.reached.tick = 1001;
    g[n].msg.u.reached.frames = 2;
    n++;
    g[n].name = "event_state_changed";
    g[n].seq = 4;
    g[n].msg.kind = NB_MSG_EVENT;
    g[n].msg.u.event.kind = NB_EVENT_STATE_CHANGED;
    g[n].msg.u.event.tick = 1200;
    g[n].msg.u.event.u.state_changed.from = NB_STATE_IDLE;
    g[n].msg.u.event.u.state_changed.to = NB_STATE_RUNNING;
    n++;
    g[n].name = "event_fault_raised";
    g[n].seq = 5;
    g[n].msg.kind = NB_MSG_EVENT;
    g[n].msg.u.event.kind = NB_EVENT_FAULT_RAISED;
    g[n].msg.u.event.tick = 1500;
    g[n].msg.u.event.u.fault = NB_FAULT_STALL;
    n++;
    g[n].name = "event_fault_cleared";
    g[n].seq = 6;
    g[n].msg.kind = NB_MSG_EVENT;
    g[n].msg.u.event.kind = NB_EVENT_FAULT_CLEARED;
    g[n].msg.u.event.tick = 2000;
    g[n].msg.u.event.u.fault = NB_FAULT_LOW_BATTERY;
    n++;
    g[n].name = "event_log";
    g[n].seq = 65535;
    g[n].msg.kind = NB_MSG_EVENT;
    g[n].msg.u.event.kind = NB_EVENT_LOG;
    g[n].msg.u.event.tick = 2001;
    g[n].msg.u.event.u.log.level = NB_LOG_WARN;
    g[n].msg.u.event.u.log.text = str_of("battery low");
    n++;
    return n;
}

static void check_golden(const golden *g, const uint8_t *wire, size_t n) {
    /* Decode the whole block at once, then byte by byte. */
    for (int bytewise = 0; bytewise < 2; bytewise++) {
        nb_decoder dec;
        nb_decoder_init(&dec);
        nb_decoded d;
        int frames = 0;
        const uint8_t *p = wire;
        size_t left = n;
        while (left > 0) {
            size_t chunk = bytewise ? 1 : left;
            size_t remaining = chunk;
            while (remaining > 0) {
                nb_feed_status st = nb_decoder_feed(&dec, &p, &remaining, &d);
                CHECK(st != NB_FEED_ERROR, "golden %s: %s", g->name, nb_error_name(d.error));
                if (st == NB_FEED_FRAME) {
                    frames++;
                    CHECK(d.seq == g->seq, "golden %s: seq %u, expected %u", g->name, d.seq,
                          g->seq);
                    CHECK(msg_eq(&d.msg, &g->msg), "golden %s decodes to another message",
                          g->name);
                }
            }
            left -= chunk;
        }
        CHECK(frames == 1, "golden %s: %d frames", g->name, frames);
        CHECK(dec.stats.bytes_ok == n, "golden %s: bytes_ok %llu of %zu", g->name,
              (unsigned long long)dec.stats.bytes_ok, n);
    }
    uint8_t out[NB_MAX_FRAME_LEN];
    size_t len = 0;
    nb_error err = nb_encode_frame(g->seq, &g->msg, out, sizeof out, &len);
    CHECK(err == NB_OK, "golden %s: encode %s", g->name, nb_error_name(err));
    CHECK(len == n && memcmp(out, wire, n) == 0, "golden %s: encodes to other bytes", g->name);
    /* One byte less of room than the frame needs is refused. */
    CHECK(nb_encode_frame(g->seq, &g->msg, out, n - 1, &len) == NB_ERR_BUFFER_TOO_SMALL,
          "golden %s: short buffer accepted", g->name);
}

static void test_goldens(const char *wire_md) {
    golden goldens[16];
    size_t n_goldens = expected_goldens(goldens);
    int found[16] = {0};
    const char *marker = "```hex golden=";
    int blocks = 0;
    for (const char *p = strstr(wire_md, marker); p; p = strstr(p + 1, marker)) {
        if (p != wire_md && p[-1] != '\n') continue; /* a mention in prose, not a block */
        const char *name = p + strlen(marker);
        size_t name_len = strcspn(name, "\r\n");
        const char *body = name + name_len;
        const char *end = strstr(body, "```");
        CHECK(end != NULL, "unterminated golden block");
        if (!end) return;
        uint8_t wire[2 * NB_MAX_FRAME_LEN];
        size_t n = parse_hex(body, end, wire, sizeof wire);
        blocks++;
        size_t i;
        for (i = 0; i < n_goldens; i++) {
            if (strlen(goldens[i].name) == name_len &&
                memcmp(goldens[i].name, name, name_len) == 0)
                break;
        }
        CHECK(i < n_goldens, "WIRE.md golden %.*s has no expectation in this test",
              (int)name_len, name);
        if (i < n_goldens) {
            found[i] = 1;
            check_golden(&goldens[i], wire, n);
        }
    }
    for (size_t i = 0; i < n_goldens; i++) {
        CHECK(found[i], "golden %s not found in WIRE.md", goldens[i].name);
    }
    CHECK(blocks >= 10, "only %d golden blocks in WIRE.md", blocks);
}

/* §4.1's table: | value | `bytes` | between "### 4.1" and the next heading. */
static void test_varint_table(const char *wire_md) {
    const char *start = strstr(wire_md, "### 4.1");
    CHECK(start != NULL, "no §4.1 in WIRE.md");
    if (!start) return;
    const char *end = strstr(start + 1, "\n### ");
    int rows = 0;
    for (const char *line = start; line && line < end; line = strchr(line + 1, '\n')) {
        const char *l = line + 1;
        if (l[0] != '|' || l[1] != ' ' || l[2] < '0' || l[2] > '9') continue;
        unsigned long value = strtoul(l + 2, NULL, 10);
        const char *tick = strchr(l, '`');
        if (!tick) continue;
        uint8_t bytes[8];
        size_t n = parse_hex(tick + 1, NULL, bytes, sizeof bytes);
        uint8_t out[8];
        size_t m = nb_put_varint(out, (uint32_t)value);
        CHECK(m == n && memcmp(out, bytes, n) == 0, "varint %lu", value);
        size_t pos = 0;
        uint32_t back = 0;
        unsigned bits = value > 0xFFFFu ? 32u : 16u;
        CHECK(nb_get_varint(bytes, n, &pos, bits, &back) == NB_OK && back == value && pos == n,
              "varint %lu reads back as %lu", value, (unsigned long)back);
        rows++;
    }
    CHECK(rows >= 5, "only %d varint rows in §4.1", rows);
}

/* §2.3's example: `raw = … → …`. */
static void test_cobs_example(const char *wire_md) {
    const char *ex = strstr(wire_md, "Example: `raw = ");
    CHECK(ex != NULL, "no COBS example in WIRE.md");
    if (!ex) return;
    uint8_t raw[64], enc[64], out[64];
    size_t n_raw = parse_hex(ex + strlen("Example: `raw = "), NULL, raw, sizeof raw);
    const char *arrow = strstr(ex, "→ `");
    CHECK(arrow != NULL, "no arrow in the COBS example");
    if (!arrow) return;
    size_t n_enc = parse_hex(arrow + strlen("→ `"), NULL, enc, sizeof enc);
    size_t m = nb_cobs_encode(raw, n_raw, out);
    CHECK(m == n_enc && memcmp(out, enc, m) == 0, "COBS example encodes differently");
    int back = nb_cobs_decode(enc, n_enc, out);
    CHECK(back == (int)n_raw && memcmp(out, raw, n_raw) == 0, "COBS example decodes differently");
}

/* ---------------------------------------------------------------------------------------
 * Primitives and rejection rules
 * ------------------------------------------------------------------------------------- */

static void test_crc_and_cobs(void) {
    CHECK(nb_crc32((const uint8_t *)"123456789", 9) == 0xCBF43926u, "CRC check value");
    CHECK(nb_crc32(NULL, 0) == 0, "CRC of nothing");
    uint8_t in[3] = {0x02, 0x11, 0x05}; /* second block runs past the end */
    uint8_t out[8];
    CHECK(nb_cobs_decode(in, 3, out) == -1, "COBS block past the end");
    uint8_t zero[2] = {0x01, 0x00};
    CHECK(nb_cobs_decode(zero, 2, out) == -1, "COBS with a zero byte");
    /* In-place decoding. */
    uint8_t buf[4] = {0x01, 0x02, 0x7a, 0x01};
    CHECK(nb_cobs_decode(buf, 4, buf) == 3 && buf[0] == 0 && buf[1] == 0x7a && buf[2] == 0,
          "COBS in place");
}

static void test_varint_rejections(void) {
    uint32_t v = 0;
    size_t pos = 0;
    const uint8_t too_long16[4] = {0x80, 0x80, 0x80, 0x01};
    CHECK(nb_get_varint(too_long16, 4, &pos, 16, &v) == NB_ERR_PAYLOAD, "u16 in 4 bytes");
    const uint8_t too_large16[3] = {0xff, 0xff, 0x04}; /* 2^16 + … */
    CHECK(nb_get_varint(too_large16, 3, &pos, 16, &v) == NB_ERR_PAYLOAD, "u16 over 65535");
    const uint8_t max16[3] = {0xff, 0xff, 0x03};
    CHECK(nb_get_varint(max16, 3, &pos, 16, &v) == NB_OK && v == 65535u, "u16 65535");
    pos = 0;
    const uint8_t too_large32[5] = {0xff, 0xff, 0xff, 0xff, 0x10};
    CHECK(nb_get_varint(too_large32, 5, &pos, 32, &v) == NB_ERR_PAYLOAD, "u32 over 2^32-1");
    const uint8_t max32[5] = {0xff, 0xff, 0xff, 0xff, 0x0f};
    CHECK(nb_get_varint(max32, 5, &pos, 32, &v) == NB_OK && v == 0xFFFFFFFFu, "u32 max");
    pos = 0;
    const uint8_t cut[2] = {0x80, 0x80};
    CHECK(nb_get_varint(cut, 2, &pos, 32, &v) == NB_ERR_PAYLOAD && pos == 0, "cut varint");
}

static void test_utf8(void) {
    CHECK(nb_utf8_valid((const uint8_t *)"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x92\x89", 16),
          "valid UTF-8");
    CHECK(!nb_utf8_valid((const uint8_t *)"\xc0\xaf", 2), "overlong /");
    CHECK(!nb_utf8_valid((const uint8_t *)"\xed\xa0\x80", 3), "surrogate");
    CHECK(!nb_utf8_valid((const uint8_t *)"\xf4\x90\x80\x80", 4), "above U+10FFFF");
    CHECK(!nb_utf8_valid((const uint8_t *)"\xe2\x82", 2), "cut sequence");
    CHECK(!nb_utf8_valid((const uint8_t *)"\x80", 1), "lone continuation");
}

/* Frames `payload` (seq 7) by hand, so that invalid payloads can be built. */
static size_t frame_payload(const uint8_t *payload, size_t n, uint8_t *out) {
    uint8_t raw[NB_MAX_RAW_LEN];
    raw[0] = 7;
    raw[1] = 0;
    memcpy(raw + 2, payload, n);
    uint32_t crc = nb_crc32(raw, n + 2);
    for (int i = 0; i < 4; i++) raw[n + 2 + (size_t)i] = (uint8_t)(crc >> (8 * i));
    size_t m = nb_cobs_encode(raw, n + 6, out);
    out[m] = 0;
    return m + 1;
}

static nb_feed_status decode_one(nb_decoder *dec, const uint8_t *bytes, size_t n, nb_decoded *d) {
    nb_feed_status last = NB_FEED_NEED_MORE;
    while (n > 0) {
        nb_feed_status st = nb_decoder_feed(dec, &bytes, &n, d);
        if (st != NB_FEED_NEED_MORE) last = st;
    }
    return last;
}

static void expect_payload_error(const uint8_t *payload, size_t n, nb_error expected,
                                 const char *what) {
    uint8_t wire[2 * NB_MAX_FRAME_LEN];
    size_t len = frame_payload(payload, n, wire);
    nb_decoder dec;
    nb_decoder_init(&dec);
    nb_decoded d;
    nb_feed_status st = decode_one(&dec, wire, len, &d);
    CHECK(st == NB_FEED_ERROR && d.error == expected, "%s: got %s", what,
          st == NB_FEED_ERROR ? nb_error_name(d.error) : "a frame");
    if (expected == NB_ERR_UNKNOWN_TYPE) {
        CHECK(dec.stats.unknown_type == 1, "%s: counted as unknown type", what);
    } else {
        CHECK(dec.stats.malformed == 1, "%s: counted as malformed", what);
    }
}

static void test_payload_rejections(void) {
    const uint8_t unknown[] = {0x07};
    expect_payload_error(unknown, sizeof unknown, NB_ERR_UNKNOWN_TYPE, "tag 7");
    const uint8_t grant_bad_bool[] = {0x04, 0x05, 0x02};
    expect_payload_error(grant_bad_bool, sizeof grant_bad_bool, NB_ERR_PAYLOAD, "bool 2");
    const uint8_t grant_trailing[] = {0x04, 0x05, 0x01, 0x00};
    expect_payload_error(grant_trailing, sizeof grant_trailing, NB_ERR_PAYLOAD, "trailing byte");
    const uint8_t grant_cut[] = {0x04, 0x05};
    expect_payload_error(grant_cut, sizeof grant_cut, NB_ERR_PAYLOAD, "ends early");
    const uint8_t bad_clock[] = {0x00, 0x01, 0x02};
    expect_payload_error(bad_clock, sizeof bad_clock, NB_ERR_PAYLOAD, "clock index 2");
    const uint8_t bad_event[] = {0x06, 0x04, 0x00};
    expect_payload_error(bad_event, sizeof bad_event, NB_ERR_PAYLOAD, "event index 4");
    const uint8_t bad_utf8[] = {0x06, 0x03, 0x00, 0x01, 0x02, 0xc0, 0xaf};
    expect_payload_error(bad_utf8, sizeof bad_utf8, NB_ERR_PAYLOAD, "invalid UTF-8");
    const uint8_t big_u16[] = {0x05, 0x00, 0xff, 0xff, 0x04};
    expect_payload_error(big_u16, sizeof big_u16, NB_ERR_PAYLOAD, "frames over u16");
    /* Event::Log { tick 0, level Info, text: 97 × 'x' }: one byte over the limit. */
    uint8_t buf[5 + 97] = {0x06, 0x03, 0x00, 0x01, 97};
    memset(buf + 5, 'x', 97);
    expect_payload_error(buf, 5 + 97, NB_ERR_TOO_LONG, "log text of 97 bytes");

    /* The encoder refuses the same. */
    nb_message msg;
    memset(&msg, 0, sizeof msg);
    msg.kind = NB_MSG_EVENT;
    msg.u.event.kind = NB_EVENT_LOG;
    msg.u.event.u.log.text.data = (const char *)(buf + 5);
    msg.u.event.u.log.text.len = 97;
    uint8_t out[NB_MAX_FRAME_LEN];
    size_t len;
    CHECK(nb_encode_frame(0, &msg, out, sizeof out, &len) == NB_ERR_TOO_LONG, "encode 97");
    msg.u.event.u.log.text.len = 96;
    CHECK(nb_encode_frame(0, &msg, out, sizeof out, &len) == NB_OK, "encode 96");
    msg.u.event.u.log.level = (nb_log_level)4;
    CHECK(nb_encode_frame(0, &msg, out, sizeof out, &len) == NB_ERR_INVALID, "encode level 4");
}

static size_t grant_frame(uint16_t seq, uint32_t until, uint8_t *out) {
    nb_message msg;
    memset(&msg, 0, sizeof msg);
    msg.kind = NB_MSG_GRANT;
    msg.u.grant.until_tick = until;
    msg.u.grant.with_sensors = 1;
    size_t len = 0;
    nb_encode_frame(seq, &msg, out, NB_MAX_FRAME_LEN, &len);
    return len;
}

static void test_decoder_recovery(void) {
    uint8_t wire[600];
    nb_decoder dec;
    nb_decoded d;
    size_t n;

    /* Noise without a delimiter right before a good frame: recovered (suffix search). */
    nb_decoder_init(&dec);
    memcpy(wire, "\x13\x37\x42", 3);
    n = 3 + grant_frame(0, 5, wire + 3);
    CHECK(decode_one(&dec, wire, n, &d) == NB_FEED_FRAME && d.msg.u.grant.until_tick == 5,
          "frame behind noise");
    CHECK(dec.stats.resyncs == 1 && dec.stats.bytes_discarded == 3, "noise counted");

    /* A corrupted frame: CRC error, counted; the next frame decodes. */
    nb_decoder_init(&dec);
    n = grant_frame(0, 5, wire);
    wire[3] ^= 0x01;
    n += grant_frame(1, 6, wire + n);
    const uint8_t *p = wire;
    size_t left = n;
    CHECK(nb_decoder_feed(&dec, &p, &left, &d) == NB_FEED_ERROR && d.error == NB_ERR_CRC,
          "bit flip is a CRC error");
    CHECK(nb_decoder_feed(&dec, &p, &left, &d) == NB_FEED_FRAME && d.seq == 1, "next frame");
    CHECK(dec.stats.crc_errors == 1 && dec.stats.frames_ok == 1 && dec.stats.seq_gaps == 0,
          "counters after a CRC error");

    /* 300 bytes without a delimiter, then a frame: oversize run, frame recovered. */
    nb_decoder_init(&dec);
    memset(wire, 0x55, 300);
    n = 300 + grant_frame(9, 77, wire + 300);
    CHECK(decode_one(&dec, wire, n, &d) == NB_FEED_FRAME && d.msg.u.grant.until_tick == 77,
          "frame after 300 bytes of noise");
    CHECK(dec.stats.bytes_discarded == 300, "300 bytes discarded, got %llu",
          (unsigned long long)dec.stats.bytes_discarded);

    /* 300 bytes of noise and a delimiter: one oversize error. */
    nb_decoder_init(&dec);
    memset(wire, 0x55, 300);
    wire[300] = 0;
    CHECK(decode_one(&dec, wire, 301, &d) == NB_FEED_ERROR && d.error == NB_ERR_OVERSIZE,
          "oversize");
    CHECK(dec.stats.oversize == 1 && dec.stats.bytes_discarded == 301, "oversize counted");

    /* Empty frames are ignored and counted; a gap in seq counts lost frames. */
    nb_decoder_init(&dec);
    wire[0] = 0;
    wire[1] = 0;
    n = 2 + grant_frame(0, 1, wire + 2);
    n += grant_frame(4, 2, wire + n);
    decode_one(&dec, wire, n, &d);
    CHECK(dec.stats.empty_frames == 2 && dec.stats.seq_gaps == 3 && dec.stats.frames_ok == 2,
          "empty frames and seq gaps");
    CHECK(dec.stats.bytes_ok + dec.stats.empty_frames + dec.stats.bytes_discarded == n,
          "every byte accounted for");
}

/* ---------------------------------------------------------------------------------------
 * The pen's link, with a scripted firmware
 * ------------------------------------------------------------------------------------- */

typedef struct {
    int sessions;
    int ticks;
    uint32_t last_tick;
    int last_had_sensors;
    uint64_t last_now_us;
} fake_fw;

static void fake_hello(void *ctx, nb_pen_hello *h) {
    (void)ctx;
    h->protocol_version = NB_PROTOCOL_VERSION;
    h->firmware_name = str_of("fake");
    h->firmware_version = str_of("1");
    h->lockstep = 1;
    h->tick_rate_hz = 1000;
    h->depth_control = NB_DEPTH_MANUAL_DIAL;
}
static void fake_session(void *ctx) { ((fake_fw *)ctx)->sessions++; }
static void fake_tick(void *ctx, uint32_t tick, uint64_t now_us, const nb_sensors *s,
                      nb_tick_reply *reply) {
    fake_fw *fw = ctx;
    fw->ticks++;
    fw->last_tick = tick;
    fw->last_had_sensors = s != NULL;
    fw->last_now_us = now_us;
    reply->actuators.motor_duty_permille = (uint16_t)(s ? s->motor_current_ma : 999);
    if (tick == 1) {
        reply->events[0].kind = NB_EVENT_LOG;
        reply->events[0].tick = tick;
        reply->events[0].u.log.level = NB_LOG_INFO;
        reply->events[0].u.log.text = str_of("tick one");
        reply->n_events = 1;
    }
}

typedef struct {
    nb_message msgs[64];
    uint16_t seqs[64];
    size_t n;
    nb_decoder dec; /* the bench's decoder: texts point into it, so check them at once */
} sink;

static void sink_emit(void *ctx, const uint8_t *frame, size_t len) {
    sink *s = ctx;
    nb_decoded d;
    CHECK(frame[len - 1] == 0, "emitted frame ends with 0x00");
    CHECK(decode_one(&s->dec, frame, len, &d) == NB_FEED_FRAME, "emitted frame decodes");
    if (s->n < 64) {
        s->seqs[s->n] = d.seq;
        s->msgs[s->n++] = d.msg;
    }
}

static size_t put_msg(uint8_t *out, uint16_t seq, const nb_message *m) {
    size_t len = 0;
    nb_encode_frame(seq, m, out, NB_MAX_FRAME_LEN, &len);
    return len;
}

static void test_pen_link(void) {
    fake_fw fw = {0};
    sink out;
    memset(&out, 0, sizeof out);
    nb_decoder_init(&out.dec);
    nb_pen_firmware pf = {&fw, fake_hello, fake_session, fake_tick};
    nb_pen_link link;
    CHECK(nb_pen_link_init(&link, &pf, 1000, sink_emit, &out) == NB_OK, "init");
    CHECK(nb_pen_link_init(&link, &pf, 0, sink_emit, &out) == NB_ERR_INVALID, "rate 0");
    CHECK(nb_pen_link_init(&link, &pf, 300, sink_emit, &out) == NB_ERR_INVALID, "rate 300");
    CHECK(nb_pen_link_init(&link, &pf, 20000, sink_emit, &out) == NB_ERR_INVALID, "rate 20 kHz");
    CHECK(nb_tick_rate_valid(400) && nb_tick_rate_valid(100) && nb_tick_rate_valid(10000) &&
              !nb_tick_rate_valid(99) && !nb_tick_rate_valid(3000),
          "tick rate rule");
    nb_pen_link_init(&link, &pf, 1000, sink_emit, &out);

    uint8_t wire[512];
    size_t n = 0;
    nb_message m;
    memset(&m, 0, sizeof m);
    /* A grant before any hello is ignored. */
    m.kind = NB_MSG_GRANT;
    m.u.grant.until_tick = 0;
    m.u.grant.with_sensors = 0;
    n = put_msg(wire, 0, &m);
    nb_pen_link_on_bytes(&link, wire, n, 0);
    CHECK(fw.ticks == 0 && out.n == 0, "no session, no tick");

    m.kind = NB_MSG_BENCH_HELLO;
    m.u.bench_hello.protocol_version = 1;
    m.u.bench_hello.clock = NB_CLOCK_LOCKSTEP;
    n = put_msg(wire, 0, &m);
    nb_pen_link_on_bytes(&link, wire, n, 123);
    CHECK(fw.sessions == 1 && out.n == 1 && out.msgs[0].kind == NB_MSG_PEN_HELLO &&
              out.seqs[0] == 0,
          "hello answered");

    /* Tick 0: sensors, then grant, fed one byte at a time. */
    memset(&m, 0, sizeof m);
    m.kind = NB_MSG_SENSORS;
    m.u.sensors.tick = 0;
    m.u.sensors.motor_current_ma = 42;
    n = put_msg(wire, 1, &m);
    m.kind = NB_MSG_GRANT;
    m.u.grant.until_tick = 0;
    m.u.grant.with_sensors = 1;
    n += put_msg(wire + n, 2, &m);
    for (size_t i = 0; i < n; i++) nb_pen_link_on_bytes(&link, wire + i, 1, 0);
    CHECK(fw.ticks == 1 && fw.last_had_sensors && fw.last_now_us == 0, "tick 0 ran");
    CHECK(out.n == 3 && out.msgs[1].kind == NB_MSG_ACTUATORS &&
              out.msgs[1].u.actuators.motor_duty_permille == 42 &&
              out.msgs[2].kind == NB_MSG_REACHED && out.msgs[2].u.reached.frames == 1,
          "tick 0 reply");

    /* Grant for tick 1 without its sensor frame: the pen waits. */
    m.kind = NB_MSG_GRANT;
    m.u.grant.until_tick = 1;
    m.u.grant.with_sensors = 1;
    n = put_msg(wire, 3, &m);
    nb_pen_link_on_bytes(&link, wire, n, 0);
    CHECK(fw.ticks == 1 && out.n == 3, "waits for the sensor frame");
    memset(&m, 0, sizeof m);
    m.kind = NB_MSG_SENSORS;
    m.u.sensors.tick = 1;
    m.u.sensors.motor_current_ma = 7;
    n = put_msg(wire, 4, &m);
    nb_pen_link_on_bytes(&link, wire, n, 0);
    CHECK(fw.ticks == 2 && fw.last_now_us == 1000, "tick 1 ran at 1000 us");
    CHECK(out.n == 6 && out.msgs[3].kind == NB_MSG_EVENT && out.msgs[5].u.reached.frames == 2,
          "tick 1: event, actuators, reached(2)");

    /* The same grant again: the same reply, new seqs, firmware not run. */
    m.kind = NB_MSG_GRANT;
    m.u.grant.until_tick = 1;
    m.u.grant.with_sensors = 1;
    n = put_msg(wire, 5, &m);
    nb_pen_link_on_bytes(&link, wire, n, 0);
    CHECK(fw.ticks == 2 && out.n == 9 && link.stats.replies_resent == 1, "reply re-sent");
    CHECK(msg_eq(&out.msgs[7], &out.msgs[4]) && msg_eq(&out.msgs[8], &out.msgs[5]) &&
              out.seqs[8] == 8,
          "re-sent reply equals the first");

    /* An older grant is ignored; a grant without sensors runs the tick without a frame. */
    m.u.grant.until_tick = 0;
    n = put_msg(wire, 6, &m);
    m.u.grant.until_tick = 3;
    m.u.grant.with_sensors = 0;
    n += put_msg(wire + n, 7, &m);
    nb_pen_link_on_bytes(&link, wire, n, 0);
    CHECK(fw.ticks == 4 && !fw.last_had_sensors && fw.last_tick == 3, "ticks 2, 3 without frames");
    CHECK(out.msgs[out.n - 2].u.actuators.tick == 3 &&
              out.msgs[out.n - 2].u.actuators.motor_duty_permille == 999,
          "actuators of tick 3");

    /* A new hello restarts the session at tick 0. */
    m.kind = NB_MSG_BENCH_HELLO;
    m.u.bench_hello.protocol_version = 1;
    m.u.bench_hello.clock = NB_CLOCK_REALTIME;
    n = put_msg(wire, 0, &m);
    nb_pen_link_on_bytes(&link, wire, n, 5000);
    CHECK(fw.sessions == 2, "second session");
    uint64_t deadline = 0;
    CHECK(nb_pen_link_next_deadline_us(&link, &deadline) && deadline == 5000, "first deadline");
    size_t before = out.n;
    nb_pen_link_poll(&link, 7500); /* ticks 0, 1, 2 are due */
    CHECK(fw.ticks == 7 && out.n == before + 4, "real time: three ticks, one event, no reached");
    CHECK(nb_pen_link_next_deadline_us(&link, &deadline) && deadline == 8000, "next deadline");

    /* 2 s without a frame from the bench: the session ends, the pen falls silent. */
    before = out.n;
    nb_pen_link_poll(&link, 5000 + NB_SESSION_IDLE_US + 1);
    CHECK(out.n == before && !nb_pen_link_next_deadline_us(&link, &deadline),
          "idle real-time session ended");

    /* A hello of another version is answered and starts nothing; a version-1 hello restarts
     * the sequence numbers at 0. */
    int sessions = fw.sessions;
    m.kind = NB_MSG_BENCH_HELLO;
    m.u.bench_hello.protocol_version = 2;
    m.u.bench_hello.clock = NB_CLOCK_LOCKSTEP;
    n = put_msg(wire, 0, &m);
    nb_pen_link_on_bytes(&link, wire, n, 0);
    CHECK(fw.sessions == sessions && out.msgs[out.n - 1].kind == NB_MSG_PEN_HELLO &&
              out.seqs[out.n - 1] != 0,
          "version 2 hello: answered, no session");
    m.u.grant.until_tick = 0;
    m.u.grant.with_sensors = 0;
    m.kind = NB_MSG_GRANT;
    n = put_msg(wire, 1, &m);
    before = out.n;
    nb_pen_link_on_bytes(&link, wire, n, 0);
    CHECK(out.n == before, "no tick without a session");
    m.kind = NB_MSG_BENCH_HELLO;
    m.u.bench_hello.protocol_version = 1;
    m.u.bench_hello.clock = NB_CLOCK_LOCKSTEP;
    n = put_msg(wire, 0, &m);
    nb_pen_link_on_bytes(&link, wire, n, 0);
    CHECK(fw.sessions == sessions + 1 && out.seqs[out.n - 1] == 0, "hello restarts seq at 0");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATH/TO/WIRE.md\n", argv[0]);
        return 2;
    }
    char *wire_md = read_file(argv[1]);
    test_goldens(wire_md);
    test_varint_table(wire_md);
    test_cobs_example(wire_md);
    test_crc_and_cobs();
    test_varint_rejections();
    test_utf8();
    test_payload_rejections();
    test_decoder_recovery();
    test_pen_link();
    free(wire_md);
    printf("%d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
