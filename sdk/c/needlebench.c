/*
 * needlebench.c — the needlebench wire protocol (version 1) for C firmware.
 * See needlebench.h for the API and crates/protocol/WIRE.md for the wire format.
 */
#include "needlebench.h"

#include <string.h>

#define NB_HEADER_LEN 2u
#define NB_CRC_LEN 4u
#define NB_WINDOW_LEN (2u * NB_MAX_FRAME_LEN)
#define NB_MIN_ENCODED_LEN (NB_MIN_RAW_LEN + 1u)

int nb_tick_rate_valid(uint32_t tick_rate_hz) {
    return tick_rate_hz >= NB_MIN_TICK_RATE_HZ && tick_rate_hz <= NB_MAX_TICK_RATE_HZ &&
           1000000u % tick_rate_hz == 0;
}

const char *nb_error_name(nb_error error) {
    switch (error) {
    case NB_OK: return "ok";
    case NB_ERR_BUFFER_TOO_SMALL: return "buffer_too_small";
    case NB_ERR_TOO_LONG: return "too_long";
    case NB_ERR_OVERSIZE: return "oversize";
    case NB_ERR_COBS: return "cobs";
    case NB_ERR_TOO_SHORT: return "too_short";
    case NB_ERR_CRC: return "crc";
    case NB_ERR_UNKNOWN_TYPE: return "unknown_type";
    case NB_ERR_PAYLOAD: return "payload";
    case NB_ERR_INVALID: return "invalid";
    }
    return "unknown";
}

/* ---------------------------------------------------------------------------------------
 * CRC-32/ISO-HDLC: a 16-entry (nibble) table, 64 bytes of flash, two lookups per byte.
 * ------------------------------------------------------------------------------------- */

static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

uint32_t nb_crc32_update(uint32_t crc, const uint8_t *bytes, size_t n) {
    for (size_t i = 0; i < n; i++) {
        crc ^= bytes[i];
        crc = (crc >> 4) ^ crc_nibble[crc & 0x0Fu];
        crc = (crc >> 4) ^ crc_nibble[crc & 0x0Fu];
    }
    return crc;
}

uint32_t nb_crc32(const uint8_t *bytes, size_t n) {
    return nb_crc32_update(0xFFFFFFFFu, bytes, n) ^ 0xFFFFFFFFu;
}

/* ---------------------------------------------------------------------------------------
 * COBS
 * ------------------------------------------------------------------------------------- */

size_t nb_cobs_encode(const uint8_t *raw, size_t n, uint8_t *out) {
    size_t code_at = 0, o = 1;
    uint8_t code = 1;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == 0) {
            out[code_at] = code;
            code_at = o++;
            code = 1;
        } else {
            out[o++] = raw[i];
            code++;
        }
    }
    out[code_at] = code;
    return o;
}

int nb_cobs_decode(const uint8_t *in, size_t n, uint8_t *out) {
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t code = in[i++];
        if (code == 0 || i + code - 1u > n) {
            return -1;
        }
        /* memmove: decoding in place moves bytes down by at most one. */
        memmove(out + o, in + i, (size_t)(code - 1u));
        o += (size_t)(code - 1u);
        i += (size_t)(code - 1u);
        if (code != 0xFFu && i < n) {
            out[o++] = 0;
        }
    }
    return (int)o;
}

/* ---------------------------------------------------------------------------------------
 * Varints and UTF-8
 * ------------------------------------------------------------------------------------- */

size_t nb_put_varint(uint8_t *out, uint32_t v) {
    size_t n = 0;
    while (v >= 0x80u) {
        out[n++] = (uint8_t)(v | 0x80u);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

nb_error nb_get_varint(const uint8_t *in, size_t n, size_t *pos, unsigned bits, uint32_t *out) {
    unsigned max_bytes = (bits + 6u) / 7u;
    uint8_t last_max = (uint8_t)((1u << (bits % 7u)) - 1u);
    uint32_t value = 0;
    size_t p = *pos;
    for (unsigned i = 0; i < max_bytes; i++) {
        if (p >= n) {
            return NB_ERR_PAYLOAD;
        }
        uint8_t byte = in[p++];
        value |= (uint32_t)(byte & 0x7Fu) << (7u * i);
        if ((byte & 0x80u) == 0) {
            if (i == max_bytes - 1u && byte > last_max) {
                return NB_ERR_PAYLOAD;
            }
            *out = value;
            *pos = p;
            return NB_OK;
        }
    }
    return NB_ERR_PAYLOAD;
}

int nb_utf8_valid(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t b = s[i];
        if (b < 0x80u) {
            i++;
            continue;
        }
        size_t need;
        uint8_t lo = 0x80u, hi = 0xBFu; /* range of the second byte */
        if (b >= 0xC2u && b <= 0xDFu) {
            need = 1;
        } else if (b >= 0xE0u && b <= 0xEFu) {
            need = 2;
            if (b == 0xE0u) lo = 0xA0u;      /* no overlong */
            if (b == 0xEDu) hi = 0x9Fu;      /* no surrogates */
        } else if (b >= 0xF0u && b <= 0xF4u) {
            need = 3;
            if (b == 0xF0u) lo = 0x90u;      /* no overlong */
            if (b == 0xF4u) hi = 0x8Fu;      /* nothing above U+10FFFF */
        } else {
            return 0;
        }
        if (n - i <= need) {
            return 0;
        }
        if (s[i + 1] < lo || s[i + 1] > hi) {
            return 0;
        }
        for (size_t k = 2; k <= need; k++) {
            if ((s[i + k] & 0xC0u) != 0x80u) {
                return 0;
            }
        }
        i += need + 1;
    }
    return 1;
}

/* ---------------------------------------------------------------------------------------
 * Payload writer
 * ------------------------------------------------------------------------------------- */

typedef struct {
    uint8_t *out;
    size_t cap;
    size_t len;
    nb_error error;
} writer;

static void w_bytes(writer *w, const void *bytes, size_t n) {
    if (w->error != NB_OK) return;
    if (w->cap - w->len < n) {
        w->error = NB_ERR_BUFFER_TOO_SMALL;
        return;
    }
    if (n > 0) memcpy(w->out + w->len, bytes, n);
    w->len += n;
}

static void w_u8(writer *w, uint8_t v) { w_bytes(w, &v, 1); }

static void w_varint(writer *w, uint32_t v) {
    uint8_t buf[5];
    w_bytes(w, buf, nb_put_varint(buf, v));
}

static void w_bool(writer *w, uint8_t v) {
    if (v > 1u && w->error == NB_OK) w->error = NB_ERR_INVALID;
    w_u8(w, v);
}

static void w_enum(writer *w, unsigned v, unsigned count) {
    if (v >= count && w->error == NB_OK) w->error = NB_ERR_INVALID;
    w_varint(w, (uint32_t)v);
}

static void w_str(writer *w, nb_str s, size_t max) {
    if (s.len > max) {
        if (w->error == NB_OK) w->error = NB_ERR_TOO_LONG;
        return;
    }
    w_varint(w, (uint32_t)s.len);
    w_bytes(w, s.data, s.len);
}

nb_error nb_encode_payload(const nb_message *msg, uint8_t *out, size_t cap, size_t *len) {
    writer w = {out, cap, 0, NB_OK};
    w_enum(&w, (unsigned)msg->kind, NB_MSG_KIND_COUNT);
    switch (msg->kind) {
    case NB_MSG_BENCH_HELLO:
        w_varint(&w, msg->u.bench_hello.protocol_version);
        w_enum(&w, (unsigned)msg->u.bench_hello.clock, NB_CLOCK_COUNT);
        break;
    case NB_MSG_PEN_HELLO: {
        const nb_pen_hello *h = &msg->u.pen_hello;
        w_varint(&w, h->protocol_version);
        w_str(&w, h->firmware_name, NB_MAX_NAME_LEN);
        w_str(&w, h->firmware_version, NB_MAX_NAME_LEN);
        w_bool(&w, h->lockstep);
        w_varint(&w, h->tick_rate_hz);
        w_enum(&w, (unsigned)h->depth_control, NB_DEPTH_COUNT);
        break;
    }
    case NB_MSG_SENSORS: {
        const nb_sensors *s = &msg->u.sensors;
        w_varint(&w, s->tick);
        w_varint(&w, s->motor_current_ma);
        w_varint(&w, s->hall_period_us);
        w_varint(&w, s->battery_mv);
        w_varint(&w, s->depth_um);
        w_u8(&w, s->buttons);
        w_bool(&w, s->cartridge_present);
        w_varint(&w, s->cartridge_id);
        w_u8(&w, s->cartridge_needle_count);
        w_bool(&w, s->skin_contact);
        break;
    }
    case NB_MSG_ACTUATORS: {
        const nb_actuators *a = &msg->u.actuators;
        w_varint(&w, a->tick);
        w_varint(&w, a->motor_duty_permille);
        w_varint(&w, a->depth_setpoint_um);
        w_u8(&w, a->speed_level);
        w_enum(&w, (unsigned)a->indicator, NB_INDICATOR_COUNT);
        w_enum(&w, (unsigned)a->state, NB_STATE_COUNT);
        w_enum(&w, (unsigned)a->fault, NB_FAULT_COUNT);
        break;
    }
    case NB_MSG_GRANT:
        w_varint(&w, msg->u.grant.until_tick);
        w_bool(&w, msg->u.grant.with_sensors);
        break;
    case NB_MSG_REACHED:
        w_varint(&w, msg->u.reached.tick);
        w_varint(&w, msg->u.reached.frames);
        break;
    case NB_MSG_EVENT: {
        const nb_event *e = &msg->u.event;
        w_enum(&w, (unsigned)e->kind, NB_EVENT_KIND_COUNT);
        w_varint(&w, e->tick);
        switch (e->kind) {
        case NB_EVENT_STATE_CHANGED:
            w_enum(&w, (unsigned)e->u.state_changed.from, NB_STATE_COUNT);
            w_enum(&w, (unsigned)e->u.state_changed.to, NB_STATE_COUNT);
            break;
        case NB_EVENT_FAULT_RAISED:
        case NB_EVENT_FAULT_CLEARED:
            w_enum(&w, (unsigned)e->u.fault, NB_FAULT_COUNT);
            break;
        case NB_EVENT_LOG:
            w_enum(&w, (unsigned)e->u.log.level, NB_LOG_COUNT);
            w_str(&w, e->u.log.text, NB_MAX_LOG_LEN);
            break;
        }
        break;
    }
    }
    if (w.error == NB_OK) *len = w.len;
    return w.error;
}

/* ---------------------------------------------------------------------------------------
 * Payload reader
 * ------------------------------------------------------------------------------------- */

typedef struct {
    const uint8_t *in;
    size_t n;
    size_t pos;
    nb_error error;
} reader;

static uint32_t r_varint(reader *r, unsigned bits) {
    uint32_t v = 0;
    if (r->error == NB_OK && nb_get_varint(r->in, r->n, &r->pos, bits, &v) != NB_OK) {
        r->error = NB_ERR_PAYLOAD;
    }
    return v;
}

static uint8_t r_u8(reader *r) {
    if (r->error != NB_OK) return 0;
    if (r->pos >= r->n) {
        r->error = NB_ERR_PAYLOAD;
        return 0;
    }
    return r->in[r->pos++];
}

static uint8_t r_bool(reader *r) {
    uint8_t v = r_u8(r);
    if (v > 1u && r->error == NB_OK) r->error = NB_ERR_PAYLOAD;
    return v;
}

static unsigned r_enum(reader *r, unsigned count) {
    uint32_t v = r_varint(r, 32);
    if (v >= count && r->error == NB_OK) r->error = NB_ERR_PAYLOAD;
    return r->error == NB_OK ? (unsigned)v : 0u;
}

/* A string: its length is a postcard usize varint (read as u32: a payload is at most
 * 120 bytes, so any longer length fails the bounds check below either way). The text
 * limit is checked after the whole message decodes, as the Rust decoder does. */
static nb_str r_str(reader *r) {
    nb_str s = {NULL, 0};
    uint32_t len = r_varint(r, 32);
    if (r->error != NB_OK) return s;
    if (len > r->n - r->pos) {
        r->error = NB_ERR_PAYLOAD;
        return s;
    }
    if (!nb_utf8_valid(r->in + r->pos, len)) {
        r->error = NB_ERR_PAYLOAD;
        return s;
    }
    s.data = (const char *)(r->in + r->pos);
    s.len = len;
    r->pos += len;
    return s;
}

nb_error nb_decode_payload(const uint8_t *payload, size_t n, nb_message *msg) {
    reader r = {payload, n, 0, NB_OK};
    uint32_t tag = 0;
    if (nb_get_varint(payload, n, &r.pos, 32, &tag) != NB_OK || tag >= NB_MSG_KIND_COUNT) {
        return NB_ERR_UNKNOWN_TYPE;
    }
    memset(msg, 0, sizeof *msg);
    msg->kind = (nb_message_kind)tag;
    switch (msg->kind) {
    case NB_MSG_BENCH_HELLO:
        msg->u.bench_hello.protocol_version = (uint16_t)r_varint(&r, 16);
        msg->u.bench_hello.clock = (nb_clock_mode)r_enum(&r, NB_CLOCK_COUNT);
        break;
    case NB_MSG_PEN_HELLO: {
        nb_pen_hello *h = &msg->u.pen_hello;
        h->protocol_version = (uint16_t)r_varint(&r, 16);
        h->firmware_name = r_str(&r);
        h->firmware_version = r_str(&r);
        h->lockstep = r_bool(&r);
        h->tick_rate_hz = r_varint(&r, 32);
        h->depth_control = (nb_depth_control)r_enum(&r, NB_DEPTH_COUNT);
        break;
    }
    case NB_MSG_SENSORS: {
        nb_sensors *s = &msg->u.sensors;
        s->tick = r_varint(&r, 32);
        s->motor_current_ma = (uint16_t)r_varint(&r, 16);
        s->hall_period_us = r_varint(&r, 32);
        s->battery_mv = (uint16_t)r_varint(&r, 16);
        s->depth_um = (uint16_t)r_varint(&r, 16);
        s->buttons = r_u8(&r);
        s->cartridge_present = r_bool(&r);
        s->cartridge_id = r_varint(&r, 32);
        s->cartridge_needle_count = r_u8(&r);
        s->skin_contact = r_bool(&r);
        break;
    }
    case NB_MSG_ACTUATORS: {
        nb_actuators *a = &msg->u.actuators;
        a->tick = r_varint(&r, 32);
        a->motor_duty_permille = (uint16_t)r_varint(&r, 16);
        a->depth_setpoint_um = (uint16_t)r_varint(&r, 16);
        a->speed_level = r_u8(&r);
        a->indicator = (nb_indicator)r_enum(&r, NB_INDICATOR_COUNT);
        a->state = (nb_firmware_state)r_enum(&r, NB_STATE_COUNT);
        a->fault = (nb_fault_code)r_enum(&r, NB_FAULT_COUNT);
        break;
    }
    case NB_MSG_GRANT:
        msg->u.grant.until_tick = r_varint(&r, 32);
        msg->u.grant.with_sensors = r_bool(&r);
        break;
    case NB_MSG_REACHED:
        msg->u.reached.tick = r_varint(&r, 32);
        msg->u.reached.frames = (uint16_t)r_varint(&r, 16);
        break;
    case NB_MSG_EVENT: {
        nb_event *e = &msg->u.event;
        e->kind = (nb_event_kind)r_enum(&r, NB_EVENT_KIND_COUNT);
        if (r.error != NB_OK) break;
        e->tick = r_varint(&r, 32);
        switch (e->kind) {
        case NB_EVENT_STATE_CHANGED:
            e->u.state_changed.from = (nb_firmware_state)r_enum(&r, NB_STATE_COUNT);
            e->u.state_changed.to = (nb_firmware_state)r_enum(&r, NB_STATE_COUNT);
            break;
        case NB_EVENT_FAULT_RAISED:
        case NB_EVENT_FAULT_CLEARED:
            e->u.fault = (nb_fault_code)r_enum(&r, NB_FAULT_COUNT);
            break;
        case NB_EVENT_LOG:
            e->u.log.level = (nb_log_level)r_enum(&r, NB_LOG_COUNT);
            e->u.log.text = r_str(&r);
            break;
        }
        break;
    }
    }
    if (r.error != NB_OK) return r.error;
    if (r.pos != n) return NB_ERR_PAYLOAD; /* bytes left after the message */
    if (msg->kind == NB_MSG_PEN_HELLO && (msg->u.pen_hello.firmware_name.len > NB_MAX_NAME_LEN ||
                                          msg->u.pen_hello.firmware_version.len > NB_MAX_NAME_LEN)) {
        return NB_ERR_TOO_LONG;
    }
    if (msg->kind == NB_MSG_EVENT && msg->u.event.kind == NB_EVENT_LOG &&
        msg->u.event.u.log.text.len > NB_MAX_LOG_LEN) {
        return NB_ERR_TOO_LONG;
    }
    return NB_OK;
}

/* ---------------------------------------------------------------------------------------
 * Frames
 * ------------------------------------------------------------------------------------- */

nb_error nb_encode_frame(uint16_t seq, const nb_message *msg, uint8_t *out, size_t cap,
                         size_t *len) {
    uint8_t raw[NB_MAX_RAW_LEN];
    size_t payload_len = 0;
    raw[0] = (uint8_t)(seq & 0xFFu);
    raw[1] = (uint8_t)(seq >> 8);
    nb_error err = nb_encode_payload(msg, raw + NB_HEADER_LEN, NB_MAX_PAYLOAD_LEN, &payload_len);
    if (err == NB_ERR_BUFFER_TOO_SMALL) return NB_ERR_TOO_LONG; /* over the frame limit */
    if (err != NB_OK) return err;
    size_t crc_at = NB_HEADER_LEN + payload_len;
    uint32_t crc = nb_crc32(raw, crc_at);
    raw[crc_at] = (uint8_t)crc;
    raw[crc_at + 1] = (uint8_t)(crc >> 8);
    raw[crc_at + 2] = (uint8_t)(crc >> 16);
    raw[crc_at + 3] = (uint8_t)(crc >> 24);
    size_t raw_len = crc_at + NB_CRC_LEN;
    /* COBS adds exactly one byte here, then the delimiter. */
    if (cap < raw_len + 2u) return NB_ERR_BUFFER_TOO_SMALL;
    size_t encoded = nb_cobs_encode(raw, raw_len, out);
    out[encoded] = 0;
    *len = encoded + 1u;
    return NB_OK;
}

void nb_encoder_init(nb_encoder *enc) { enc->next_seq = 0; }

nb_error nb_encoder_encode(nb_encoder *enc, const nb_message *msg, uint8_t *out, size_t cap,
                           size_t *len) {
    nb_error err = nb_encode_frame(enc->next_seq, msg, out, cap, len);
    if (err == NB_OK) enc->next_seq = (uint16_t)(enc->next_seq + 1u);
    return err;
}

/* ---------------------------------------------------------------------------------------
 * Decoder
 * ------------------------------------------------------------------------------------- */

void nb_decoder_init(nb_decoder *dec) { memset(dec, 0, sizeof *dec); }

void nb_decoder_reset(nb_decoder *dec) {
    dec->stats.bytes_discarded += dec->window_len;
    dec->window_len = 0;
    dec->run_len = 0;
    dec->has_last_seq = 0;
}

/* Appends bytes of the current run, keeping only the last NB_MAX_ENCODED_LEN bytes once the
 * window overflows (no valid frame is longer, so the rest can only be garbage). */
static void dec_push(nb_decoder *dec, const uint8_t *chunk, size_t n) {
    dec->run_len = (dec->run_len > (size_t)-1 - n) ? (size_t)-1 : dec->run_len + n;
    size_t end = dec->window_len + n;
    if (end <= NB_WINDOW_LEN) {
        if (n > 0) memcpy(dec->window + dec->window_len, chunk, n);
        dec->window_len = end;
        return;
    }
    dec->stats.bytes_discarded += end - NB_MAX_ENCODED_LEN;
    if (n >= NB_MAX_ENCODED_LEN) {
        memcpy(dec->window, chunk + (n - NB_MAX_ENCODED_LEN), NB_MAX_ENCODED_LEN);
    } else {
        size_t keep_old = NB_MAX_ENCODED_LEN - n;
        memmove(dec->window, dec->window + (dec->window_len - keep_old), keep_old);
        memcpy(dec->window + keep_old, chunk, n);
    }
    dec->window_len = NB_MAX_ENCODED_LEN;
}

/* COBS-decodes `encoded` into `raw` and checks length and CRC; the raw length, or an error. */
static nb_error unframe(const uint8_t *encoded, size_t n, uint8_t *raw, size_t *raw_len) {
    if (n > NB_MAX_ENCODED_LEN) return NB_ERR_OVERSIZE;
    int len = nb_cobs_decode(encoded, n, raw);
    if (len < 0) return NB_ERR_COBS;
    if ((size_t)len < NB_MIN_RAW_LEN || (size_t)len > NB_MAX_RAW_LEN) return NB_ERR_TOO_SHORT;
    size_t body = (size_t)len - NB_CRC_LEN;
    uint32_t received = (uint32_t)raw[body] | ((uint32_t)raw[body + 1] << 8) |
                        ((uint32_t)raw[body + 2] << 16) | ((uint32_t)raw[body + 3] << 24);
    if (received != nb_crc32(raw, body)) return NB_ERR_CRC;
    *raw_len = (size_t)len;
    return NB_OK;
}

static nb_feed_status finish_frame(nb_decoder *dec, nb_decoded *out) {
    size_t len = dec->window_len;
    int overflowed = dec->run_len > NB_MAX_ENCODED_LEN;
    size_t skipped = 0, raw_len = 0;
    dec->window_len = 0;
    dec->run_len = 0;

    nb_error whole = overflowed ? NB_ERR_OVERSIZE : unframe(dec->window, len, dec->raw, &raw_len);
    if (whole != NB_OK) {
        dec->stats.resyncs++;
        /* Look for an intact frame at the end of the bad run. */
        size_t first = overflowed ? (len > NB_MAX_ENCODED_LEN ? len - NB_MAX_ENCODED_LEN : 0) : 1;
        int found = 0;
        if (len >= NB_MIN_ENCODED_LEN) {
            for (size_t skip = first; skip <= len - NB_MIN_ENCODED_LEN; skip++) {
                if (unframe(dec->window + skip, len - skip, dec->raw, &raw_len) == NB_OK) {
                    skipped = skip;
                    found = 1;
                    break;
                }
            }
        }
        if (!found) {
            dec->stats.bytes_discarded += (uint64_t)len + 1u;
            if (whole == NB_ERR_OVERSIZE) {
                dec->stats.oversize++;
            } else if (whole == NB_ERR_CRC) {
                dec->stats.crc_errors++;
            } else {
                dec->stats.malformed++;
            }
            out->error = whole;
            return NB_FEED_ERROR;
        }
        dec->stats.bytes_discarded += skipped;
    }
    uint64_t frame_bytes = (uint64_t)(len - skipped) + 1u;

    /* The frame is intact: its sequence number is trustworthy. */
    uint16_t seq = (uint16_t)(dec->raw[0] | (dec->raw[1] << 8));
    nb_error result = nb_decode_payload(dec->raw + NB_HEADER_LEN,
                                        raw_len - NB_HEADER_LEN - NB_CRC_LEN, &out->msg);
    int is_hello = result == NB_OK && (out->msg.kind == NB_MSG_BENCH_HELLO ||
                                       out->msg.kind == NB_MSG_PEN_HELLO);
    if (dec->has_last_seq && !is_hello) {
        uint16_t ahead = (uint16_t)(seq - (uint16_t)(dec->last_seq + 1u));
        if (ahead < 0x8000u) {
            dec->stats.seq_gaps += ahead;
        } else {
            dec->stats.seq_rewinds++;
        }
    }
    dec->last_seq = seq;
    dec->has_last_seq = 1;
    out->seq = seq;
    if (result == NB_OK) {
        dec->stats.frames_ok++;
        dec->stats.bytes_ok += frame_bytes;
        out->error = NB_OK;
        return NB_FEED_FRAME;
    }
    dec->stats.bytes_discarded += frame_bytes;
    if (result == NB_ERR_UNKNOWN_TYPE) {
        dec->stats.unknown_type++;
    } else {
        dec->stats.malformed++;
    }
    out->error = result;
    return NB_FEED_ERROR;
}

nb_feed_status nb_decoder_feed(nb_decoder *dec, const uint8_t **input, size_t *len,
                               nb_decoded *out) {
    for (;;) {
        const uint8_t *zero = (*len > 0) ? memchr(*input, 0, *len) : NULL;
        if (zero == NULL) {
            dec_push(dec, *input, *len);
            *input += *len;
            *len = 0;
            return NB_FEED_NEED_MORE;
        }
        size_t pos = (size_t)(zero - *input);
        dec_push(dec, *input, pos);
        *input += pos + 1u;
        *len -= pos + 1u;
        if (dec->run_len == 0) {
            dec->stats.empty_frames++;
            continue;
        }
        return finish_frame(dec, out);
    }
}

/* ---------------------------------------------------------------------------------------
 * The pen's link
 * ------------------------------------------------------------------------------------- */

static void link_send(nb_pen_link *link, const nb_message *msg) {
    uint8_t frame[NB_MAX_FRAME_LEN];
    size_t len = 0;
    if (nb_encoder_encode(&link->encoder, msg, frame, sizeof frame, &len) == NB_OK) {
        link->emit(link->emit_ctx, frame, len);
    } else {
        link->stats.encode_errors++;
    }
}

/* Sends the cached reply: events, actuators and, in lockstep, the Reached counting them. */
static void link_send_reply(nb_pen_link *link, int lockstep) {
    nb_message msg;
    for (size_t i = 0; i < link->reply.n_events; i++) {
        msg.kind = NB_MSG_EVENT;
        msg.u.event = link->reply.events[i];
        link_send(link, &msg);
    }
    msg.kind = NB_MSG_ACTUATORS;
    msg.u.actuators = link->reply.actuators;
    link_send(link, &msg);
    if (lockstep) {
        msg.kind = NB_MSG_REACHED;
        msg.u.reached.tick = link->reply_tick;
        msg.u.reached.frames = (uint16_t)(link->reply.n_events + 1u);
        link_send(link, &msg);
    }
}

/* Runs the firmware for the link's next tick and sends its reply. */
static void link_run_tick(nb_pen_link *link, uint64_t now_us, const nb_sensors *sensors,
                          uint32_t actuators_tick, int lockstep) {
    uint32_t tick = link->next_tick;
    memset(&link->reply.actuators, 0, sizeof link->reply.actuators);
    link->reply.n_events = 0;
    link->fw.tick(link->fw.ctx, tick, now_us, sensors, &link->reply);
    if (link->reply.n_events > NB_REPLY_MAX_EVENTS) {
        link->stats.events_dropped += link->reply.n_events - NB_REPLY_MAX_EVENTS;
        link->reply.n_events = NB_REPLY_MAX_EVENTS;
    }
    link->reply.actuators.tick = actuators_tick;
    link->stats.ticks_run++;
    link->next_tick = tick + 1u;
    link->has_reply = (uint8_t)(lockstep != 0);
    link->reply_tick = tick;
    link_send_reply(link, lockstep);
}

nb_error nb_pen_link_init(nb_pen_link *link, const nb_pen_firmware *fw, uint32_t tick_rate_hz,
                          nb_emit_fn emit, void *emit_ctx) {
    if (fw == NULL || fw->hello == NULL || fw->session_start == NULL || fw->tick == NULL ||
        emit == NULL || !nb_tick_rate_valid(tick_rate_hz)) {
        return NB_ERR_INVALID;
    }
    memset(link, 0, sizeof *link);
    link->fw = *fw;
    link->emit = emit;
    link->emit_ctx = emit_ctx;
    link->tick_period_us = 1000000u / tick_rate_hz;
    nb_encoder_init(&link->encoder);
    nb_decoder_init(&link->decoder);
    return NB_OK;
}

static void link_start_session(nb_pen_link *link, nb_clock_mode clock, uint64_t now_us) {
    link->fw.session_start(link->fw.ctx);
    link->in_session = 1;
    link->clock = clock;
    link->next_tick = 0;
    link->has_grant = 0;
    memset(link->sensors_valid, 0, sizeof link->sensors_valid);
    link->has_newest = 0;
    link->last_acted_tick = 0;
    link->session_start_us = now_us;
    link->last_heard_us = now_us;
    link->has_reply = 0;
    link->stats.sessions++;
}

static void link_on_grant(nb_pen_link *link, const nb_grant *grant) {
    if (!link->in_session || link->clock != NB_CLOCK_LOCKSTEP) return;
    if (link->has_reply && grant->until_tick == link->reply_tick &&
        grant->until_tick + 1u == link->next_tick) {
        /* The bench lost part of the last reply: send it again, unchanged. */
        link->stats.replies_resent++;
        link_send_reply(link, 1);
        return;
    }
    if (grant->until_tick >= link->next_tick) {
        link->has_grant = 1;
        link->grant_until = grant->until_tick;
        link->grant_with_sensors = grant->with_sensors;
    }
}

static void link_run_granted(nb_pen_link *link) {
    while (link->has_grant) {
        if (link->next_tick > link->grant_until) {
            link->has_grant = 0;
            break;
        }
        uint32_t tick = link->next_tick;
        size_t slot = tick % NB_SENSOR_WINDOW;
        const nb_sensors *sensors = NULL;
        if (link->sensors_valid[slot] && link->sensors[slot].tick == tick) {
            link->sensors_valid[slot] = 0;
            sensors = &link->sensors[slot];
        } else if (link->grant_with_sensors) {
            break; /* wait for the re-sent sensor frame */
        }
        link_run_tick(link, (uint64_t)tick * link->tick_period_us, sensors, tick, 1);
    }
}

void nb_pen_link_on_bytes(nb_pen_link *link, const uint8_t *bytes, size_t n, uint64_t now_us) {
    while (n > 0) {
        nb_decoded d;
        if (nb_decoder_feed(&link->decoder, &bytes, &n, &d) != NB_FEED_FRAME) {
            continue; /* need more bytes (n is 0 now), or a bad frame the bench re-sends */
        }
        link->last_heard_us = now_us;
        switch (d.msg.kind) {
        case NB_MSG_BENCH_HELLO: {
            nb_message reply;
            if (d.msg.u.bench_hello.protocol_version == NB_PROTOCOL_VERSION) {
                link_start_session(link, d.msg.u.bench_hello.clock, now_us);
                nb_encoder_init(&link->encoder); /* sequence numbers restart with a hello */
            }
            memset(&reply, 0, sizeof reply);
            reply.kind = NB_MSG_PEN_HELLO;
            link->fw.hello(link->fw.ctx, &reply.u.pen_hello);
            link_send(link, &reply);
            break;
        }
        case NB_MSG_SENSORS: {
            size_t slot = d.msg.u.sensors.tick % NB_SENSOR_WINDOW;
            link->newest = d.msg.u.sensors;
            link->has_newest = 1;
            /* Lockstep: a frame for a tick already run is ignored. */
            if (link->clock == NB_CLOCK_REALTIME || d.msg.u.sensors.tick >= link->next_tick) {
                link->sensors[slot] = d.msg.u.sensors;
                link->sensors_valid[slot] = 1;
            }
            break;
        }
        case NB_MSG_GRANT:
            link_on_grant(link, &d.msg.u.grant);
            break;
        default:
            break; /* pen-to-bench messages arriving at the pen: ignored */
        }
        /* Arrival order: a granted tick runs as soon as its frames are in. */
        if (link->in_session && link->clock == NB_CLOCK_LOCKSTEP) link_run_granted(link);
    }
}

void nb_pen_link_poll(nb_pen_link *link, uint64_t now_us) {
    if (!link->in_session || link->clock != NB_CLOCK_REALTIME) return;
    if (now_us > link->last_heard_us && now_us - link->last_heard_us > NB_SESSION_IDLE_US) {
        link->in_session = 0; /* the bench has gone: the session is over */
        return;
    }
    for (;;) {
        uint64_t due = link->session_start_us + (uint64_t)link->next_tick * link->tick_period_us;
        if (due > now_us) break;
        nb_sensors frame;
        const nb_sensors *sensors = NULL;
        if (link->has_newest) {
            frame = link->newest;
            link->has_newest = 0;
            link->last_acted_tick = frame.tick;
            sensors = &frame;
        }
        link_run_tick(link, due, sensors, link->last_acted_tick, 0);
    }
}

int nb_pen_link_next_deadline_us(const nb_pen_link *link, uint64_t *deadline_us) {
    if (!link->in_session || link->clock != NB_CLOCK_REALTIME) return 0;
    *deadline_us = link->session_start_us + (uint64_t)link->next_tick * link->tick_period_us;
    return 1;
}
