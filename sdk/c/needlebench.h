/*
 * needlebench.h — the needlebench wire protocol (version 1) for C firmware.
 *
 * A C99 implementation of crates/protocol/WIRE.md for the pen side (and, for tools, the
 * bench side): every message encoded and decoded, COBS, CRC-32/ISO-HDLC, varints, frames
 * with sequence numbers, a frame decoder that resynchronises after line noise, and a
 * sans-IO lockstep/real-time link state machine for a pen.
 *
 * Rules of the library
 *   - C99; uses only <stdint.h>, <stddef.h> and <string.h> (memcpy, memset). No allocation,
 *     no global state, no I/O, no clock: time is an argument.
 *   - Every object is plain data the caller owns (static, stack or a struct of its own).
 *   - Booleans are uint8_t holding 0 or 1 (no <stdbool.h>).
 *   - Text is a (pointer, length) pair, nb_str: never NUL-terminated on the wire. A decoded
 *     message's text points into the decoder that produced it and is valid until the next
 *     call that feeds that decoder.
 *   - Units are in the names, as on the wire (_ma, _mv, _um, _us, _hz, _permille).
 *
 * Layers, bottom up
 *   nb_crc32, nb_cobs_encode/decode, nb_put_varint/nb_get_varint   (WIRE.md §2, §4.1)
 *   nb_encode_payload / nb_decode_payload                          (WIRE.md §4, §5)
 *   nb_encode_frame, nb_encoder                                    (WIRE.md §2)
 *   nb_decoder                                                     (WIRE.md §3)
 *   nb_pen_link                                                    (WIRE.md §5.8)
 *
 * Most firmware only needs nb_pen_link: give it the bytes the UART received, and it calls
 * your firmware's tick function and hands you the bytes to send. See the example pen in
 * sdk/c/examples/pen/.
 *
 * The Rust crate needlebench-protocol is the reference; this library's tests check it
 * against WIRE.md's golden vectors and against the Rust code on random messages.
 */
#ifndef NEEDLEBENCH_H
#define NEEDLEBENCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------
 * Limits (WIRE.md §2)
 * ------------------------------------------------------------------------------------- */

#define NB_PROTOCOL_VERSION 1u
/** Longest frame on the wire, COBS overhead and the 0x00 delimiter included. */
#define NB_MAX_FRAME_LEN 128u
/** Longest COBS block (the bytes before the 0x00). */
#define NB_MAX_ENCODED_LEN 127u
/** Longest raw frame (seq + payload + crc). */
#define NB_MAX_RAW_LEN 126u
/** Longest payload (the postcard-encoded message). */
#define NB_MAX_PAYLOAD_LEN 120u
/** Shortest valid raw frame: 2 (seq) + 1 (tag) + 4 (crc). */
#define NB_MIN_RAW_LEN 7u
/** Longest firmware name or version in a PenHello, bytes of UTF-8. */
#define NB_MAX_NAME_LEN 32u
/** Longest log line in an Event Log, bytes of UTF-8. */
#define NB_MAX_LOG_LEN 96u
/** Tick rates a pen may announce: NB_MIN_TICK_RATE_HZ..=NB_MAX_TICK_RATE_HZ and a divisor
 *  of 1 000 000 (a whole number of µs per tick); nb_tick_rate_valid checks it. */
#define NB_MIN_TICK_RATE_HZ 100u
#define NB_MAX_TICK_RATE_HZ 10000u
/** Longest hall period the bench sends; longer reads as 0 (stopped), µs. */
#define NB_MAX_HALL_PERIOD_US 100000u
/** Real time: a pen ends its session after this long without a frame from the bench, µs. */
#define NB_SESSION_IDLE_US 2000000u

/* ---------------------------------------------------------------------------------------
 * Enumerations (WIRE.md §5.0); the values are the wire indices.
 * ------------------------------------------------------------------------------------- */

typedef enum { NB_CLOCK_LOCKSTEP = 0, NB_CLOCK_REALTIME = 1 } nb_clock_mode;
typedef enum { NB_DEPTH_MANUAL_DIAL = 0, NB_DEPTH_MOTORIZED = 1 } nb_depth_control;
typedef enum {
    NB_STATE_OFF = 0,
    NB_STATE_IDLE = 1,
    NB_STATE_RUNNING = 2,
    NB_STATE_FAULT = 3
} nb_firmware_state;
typedef enum {
    NB_FAULT_NONE = 0,
    NB_FAULT_STALL = 1,
    NB_FAULT_OVER_CURRENT = 2,
    NB_FAULT_LINK_LOSS = 3,
    NB_FAULT_LOW_BATTERY = 4,
    NB_FAULT_CARTRIDGE_ABSENT = 5,
    NB_FAULT_CARTRIDGE_EXPIRED = 6,
    NB_FAULT_WATCHDOG = 7,
    NB_FAULT_INTERNAL = 8
} nb_fault_code;
typedef enum {
    NB_INDICATOR_OFF = 0,
    NB_INDICATOR_GREEN = 1,
    NB_INDICATOR_AMBER = 2,
    NB_INDICATOR_RED = 3
} nb_indicator;
typedef enum {
    NB_LOG_DEBUG = 0,
    NB_LOG_INFO = 1,
    NB_LOG_WARN = 2,
    NB_LOG_ERROR = 3
} nb_log_level;

/** Number of variants of each enumeration (a decoded index at or above it is malformed). */
#define NB_CLOCK_COUNT 2u
#define NB_DEPTH_COUNT 2u
#define NB_STATE_COUNT 4u
#define NB_FAULT_COUNT 9u
#define NB_INDICATOR_COUNT 4u
#define NB_LOG_COUNT 4u

/** Button bits of nb_sensors.buttons: a bit is set while the button is held. */
#define NB_BUTTON_POWER 0x01u
#define NB_BUTTON_SPEED_UP 0x02u
#define NB_BUTTON_SPEED_DOWN 0x04u

/* ---------------------------------------------------------------------------------------
 * Messages (WIRE.md §5). Fields in wire order.
 * ------------------------------------------------------------------------------------- */

/** UTF-8 text, not NUL-terminated. `data` may be NULL when `len` is 0. */
typedef struct {
    const char *data;
    size_t len;
} nb_str;

/** Tag of a message (WIRE.md §1). */
typedef enum {
    NB_MSG_BENCH_HELLO = 0,
    NB_MSG_PEN_HELLO = 1,
    NB_MSG_SENSORS = 2,
    NB_MSG_ACTUATORS = 3,
    NB_MSG_GRANT = 4,
    NB_MSG_REACHED = 5,
    NB_MSG_EVENT = 6
} nb_message_kind;
#define NB_MSG_KIND_COUNT 7u

/** §5.1, bench → pen. */
typedef struct {
    uint16_t protocol_version;
    nb_clock_mode clock;
} nb_bench_hello;

/** §5.2, pen → bench. Names at most NB_MAX_NAME_LEN bytes. */
typedef struct {
    uint16_t protocol_version;
    nb_str firmware_name;
    nb_str firmware_version;
    uint8_t lockstep; /* capabilities.lockstep */
    uint32_t tick_rate_hz;  /* capabilities.tick_rate_hz */
    nb_depth_control depth_control; /* capabilities.depth_control */
} nb_pen_hello;

/** §5.3, bench → pen, once per tick. */
typedef struct {
    uint32_t tick;
    uint16_t motor_current_ma;
    uint32_t hall_period_us;
    uint16_t battery_mv;
    uint16_t depth_um;
    uint8_t buttons; /* NB_BUTTON_* bits */
    uint8_t cartridge_present;
    uint32_t cartridge_id;
    uint8_t cartridge_needle_count;
    uint8_t skin_contact;
} nb_sensors;

/** §5.4, pen → bench, once per tick. */
typedef struct {
    uint32_t tick;
    uint16_t motor_duty_permille;
    uint16_t depth_setpoint_um;
    uint8_t speed_level;
    nb_indicator indicator;
    nb_firmware_state state;
    nb_fault_code fault;
} nb_actuators;

/** §5.5, bench → pen, lockstep. */
typedef struct {
    uint32_t until_tick;
    uint8_t with_sensors;
} nb_grant;

/** §5.6, pen → bench, lockstep. */
typedef struct {
    uint32_t tick;
    uint16_t frames;
} nb_reached;

/** The variant index of an event (§5.7). */
typedef enum {
    NB_EVENT_STATE_CHANGED = 0,
    NB_EVENT_FAULT_RAISED = 1,
    NB_EVENT_FAULT_CLEARED = 2,
    NB_EVENT_LOG = 3
} nb_event_kind;
#define NB_EVENT_KIND_COUNT 4u

/** §5.7, pen → bench. `tick` is common to every variant; the union member matching
 *  `kind` holds the rest (`fault` for both FaultRaised and FaultCleared). */
typedef struct {
    nb_event_kind kind;
    uint32_t tick;
    union {
        struct {
            nb_firmware_state from;
            nb_firmware_state to;
        } state_changed;
        nb_fault_code fault;
        struct {
            nb_log_level level;
            nb_str text; /* at most NB_MAX_LOG_LEN bytes */
        } log;
    } u;
} nb_event;

/** One message: `kind` says which union member is valid. */
typedef struct {
    nb_message_kind kind;
    union {
        nb_bench_hello bench_hello;
        nb_pen_hello pen_hello;
        nb_sensors sensors;
        nb_actuators actuators;
        nb_grant grant;
        nb_reached reached;
        nb_event event;
    } u;
} nb_message;

/* ---------------------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------------------- */

/** Why something did not encode or decode. Each receiving error is counted in one field
 *  of nb_decoder_stats (named with the value). */
typedef enum {
    NB_OK = 0,
    /** Encoding: the output buffer is too small. */
    NB_ERR_BUFFER_TOO_SMALL,
    /** Encoding: a text field is over its limit, or a value is out of range for the wire
     *  (an enum value not listed). Decoding: a text field over its limit (malformed). */
    NB_ERR_TOO_LONG,
    /** More than NB_MAX_ENCODED_LEN bytes before a delimiter (stats: oversize). */
    NB_ERR_OVERSIZE,
    /** Invalid COBS (stats: malformed). */
    NB_ERR_COBS,
    /** Fewer than NB_MIN_RAW_LEN bytes after COBS (stats: malformed). */
    NB_ERR_TOO_SHORT,
    /** CRC mismatch (stats: crc_errors). */
    NB_ERR_CRC,
    /** Intact frame with a message tag >= NB_MSG_KIND_COUNT (stats: unknown_type). */
    NB_ERR_UNKNOWN_TYPE,
    /** Intact frame whose payload does not decode: a field out of range, a varint too
     *  long or too large for its type, invalid UTF-8, the payload ending early, or bytes
     *  left after the message (stats: malformed). */
    NB_ERR_PAYLOAD,
    /** Encoding: an invalid argument (an enum value not listed). */
    NB_ERR_INVALID
} nb_error;

/** Whether a pen may announce `tick_rate_hz` (see NB_MIN_TICK_RATE_HZ). */
int nb_tick_rate_valid(uint32_t tick_rate_hz);

/** A stable snake_case name for `error` ("ok", "crc", …), for logs. */
const char *nb_error_name(nb_error error);

/* ---------------------------------------------------------------------------------------
 * Primitives (WIRE.md §2.2, §2.3, §4.1)
 * ------------------------------------------------------------------------------------- */

/** CRC-32/ISO-HDLC of `n` bytes (zlib, Ethernet; crc32("123456789") == 0xCBF43926). */
uint32_t nb_crc32(const uint8_t *bytes, size_t n);

/** Continues a CRC: pass 0xFFFFFFFF as `crc` first, and XOR the result with 0xFFFFFFFF
 *  at the end. nb_crc32(p, n) == nb_crc32_update(0xFFFFFFFF, p, n) ^ 0xFFFFFFFF. */
uint32_t nb_crc32_update(uint32_t crc, const uint8_t *bytes, size_t n);

/** COBS-encodes `n` <= 253 bytes of `raw` into `out` (room for n + 1 bytes) and returns
 *  n + 1. No delimiter is written. `out` must not overlap `raw`. */
size_t nb_cobs_encode(const uint8_t *raw, size_t n, uint8_t *out);

/** COBS-decodes the `n` bytes before a delimiter (none of them 0x00) into `out` (room for
 *  `n` bytes; it may equal `in` to decode in place). Returns the decoded length, or -1 if
 *  a block runs past the end or a byte is 0x00. */
int nb_cobs_decode(const uint8_t *in, size_t n, uint8_t *out);

/** Writes `v` as an unsigned LEB128 varint (shortest form, 1–5 bytes) to `out`; returns
 *  the bytes written. */
size_t nb_put_varint(uint8_t *out, uint32_t v);

/** Reads a varint for an unsigned integer of `bits` bits (16 or 32) from `in[*pos..n]`.
 *  On success stores the value in `*out`, advances `*pos` and returns NB_OK; returns
 *  NB_ERR_PAYLOAD (and leaves `*pos` alone) when the input ends inside the varint, when it
 *  is longer than ceil(bits / 7) bytes, or when its value does not fit in `bits` bits
 *  (postcard's rule: the last of the ceil(bits / 7) bytes may carry only the bits that
 *  remain). A longer-than-needed form such as 80 00 for 0 is accepted, as postcard does;
 *  writers never produce it. */
nb_error nb_get_varint(const uint8_t *in, size_t n, size_t *pos, unsigned bits, uint32_t *out);

/** Whether `n` bytes are valid UTF-8 (the rules of Rust's str::from_utf8: no overlong
 *  forms, no surrogates, nothing above U+10FFFF). */
int nb_utf8_valid(const uint8_t *bytes, size_t n);

/* ---------------------------------------------------------------------------------------
 * Payloads (WIRE.md §4, §5): a message <-> its postcard bytes, without frame.
 * ------------------------------------------------------------------------------------- */

/** Encodes `msg` as a payload into `out` (`cap` bytes). Returns NB_OK and the length in
 *  `*len`; NB_ERR_TOO_LONG for a text over its limit; NB_ERR_INVALID for an enum value
 *  not listed; NB_ERR_BUFFER_TOO_SMALL when `cap` is too small (NB_MAX_PAYLOAD_LEN always
 *  suffices for a message within the limits). */
nb_error nb_encode_payload(const nb_message *msg, uint8_t *out, size_t cap, size_t *len);

/** Decodes a payload of `n` bytes into `*msg` (texts point into `payload`). Returns NB_OK,
 *  NB_ERR_UNKNOWN_TYPE (tag >= 7, or a tag varint that is no u32), NB_ERR_PAYLOAD or
 *  NB_ERR_TOO_LONG (a text over its limit). */
nb_error nb_decode_payload(const uint8_t *payload, size_t n, nb_message *msg);

/* ---------------------------------------------------------------------------------------
 * Frames (WIRE.md §2)
 * ------------------------------------------------------------------------------------- */

/** Encodes `msg` with sequence number `seq` as one complete frame, trailing 0x00 included,
 *  into `out` (`cap` bytes; NB_MAX_FRAME_LEN always suffices). Returns NB_OK and the
 *  frame's length in `*len`, or an error as nb_encode_payload (nothing useful in `out`). */
nb_error nb_encode_frame(uint16_t seq, const nb_message *msg, uint8_t *out, size_t cap,
                         size_t *len);

/** The sending half of a link: stamps each frame with the next sequence number, starting
 *  at 0 and wrapping from 65535 to 0. Zero-initialise it, or call nb_encoder_init. */
typedef struct {
    uint16_t next_seq;
} nb_encoder;

void nb_encoder_init(nb_encoder *enc);
/** nb_encode_frame with the encoder's next sequence number; advances it on success only. */
nb_error nb_encoder_encode(nb_encoder *enc, const nb_message *msg, uint8_t *out, size_t cap,
                           size_t *len);

/* ---------------------------------------------------------------------------------------
 * Decoder (WIRE.md §3): bytes in, frames out.
 * ------------------------------------------------------------------------------------- */

/** Link health counters, as the Rust DecoderStats. Every byte fed ends up in exactly one
 *  of bytes_ok, bytes_discarded, empty_frames or the decoder's partial frame. */
typedef struct {
    uint64_t frames_ok;       /* frames decoded into a message */
    uint64_t crc_errors;      /* NB_ERR_CRC */
    uint64_t oversize;        /* NB_ERR_OVERSIZE */
    uint64_t unknown_type;    /* NB_ERR_UNKNOWN_TYPE */
    uint64_t malformed;       /* NB_ERR_COBS, NB_ERR_TOO_SHORT, NB_ERR_PAYLOAD, NB_ERR_TOO_LONG */
    uint64_t resyncs;         /* bad runs, and good frames recovered from behind garbage */
    uint64_t bytes_discarded; /* bytes thrown away, delimiters of bad frames included */
    uint64_t seq_gaps;        /* frames lost according to sequence numbers */
    uint64_t seq_rewinds;     /* intact frames whose seq is behind previous + 1 */
    uint64_t bytes_ok;        /* bytes of good frames, delimiters included */
    uint64_t empty_frames;    /* lone 0x00 delimiters, ignored */
} nb_decoder_stats;

/** The receiving half of a link (about 500 bytes). Initialise with nb_decoder_init. */
typedef struct {
    uint8_t window[2u * NB_MAX_FRAME_LEN]; /* the last bytes of the current run */
    size_t window_len;
    size_t run_len;                /* bytes since the last delimiter (saturating) */
    uint8_t raw[NB_MAX_FRAME_LEN]; /* the COBS-decoded frame; messages point into it */
    uint32_t last_seq;             /* sequence number of the last intact frame */
    uint8_t has_last_seq;
    nb_decoder_stats stats;
} nb_decoder;

/** What nb_decoder_feed found. */
typedef enum {
    /** All input consumed, no delimiter: feed more bytes later. */
    NB_FEED_NEED_MORE = 0,
    /** A frame: `seq` and `msg` are set (texts valid until the next feed). */
    NB_FEED_FRAME = 1,
    /** The bytes up to a delimiter were thrown away; `error` says why. */
    NB_FEED_ERROR = 2
} nb_feed_status;

typedef struct {
    uint16_t seq;
    nb_message msg;
    nb_error error;
} nb_decoded;

void nb_decoder_init(nb_decoder *dec);

/** Forgets the partial frame and the last sequence number (e.g. when the port is
 *  re-opened); the partial bytes count as discarded. Keeps the counters. */
void nb_decoder_reset(nb_decoder *dec);

/** Consumes bytes from `*input` (`*len` of them) up to and including the next 0x00 and
 *  reports what the bytes before it held, advancing `*input` and `*len`; or consumes all
 *  of them and returns NB_FEED_NEED_MORE. Empty frames are skipped. Call it again while
 *  `*len` is not 0:
 *
 *      while (len > 0) {
 *          nb_decoded d;
 *          if (nb_decoder_feed(&dec, &p, &len, &d) == NB_FEED_FRAME) handle(&d.msg);
 *      }
 *
 *  Steps (WIRE.md §3): a run over NB_MAX_ENCODED_LEN bytes is oversize; COBS, length
 *  and CRC are checked; then the tag and the message. A run that fails at the first three
 *  steps is searched for an intact frame at its end (each suffix, longest first, at most
 *  the last NB_MAX_ENCODED_LEN bytes, the first that passes COBS, length and CRC wins,
 *  whatever its payload then gives), so a good frame behind line noise is not lost.
 *  Hellos restart the sequence-number count. */
nb_feed_status nb_decoder_feed(nb_decoder *dec, const uint8_t **input, size_t *len,
                               nb_decoded *out);

/* ---------------------------------------------------------------------------------------
 * The pen's link (WIRE.md §5.8): a sans-IO state machine around your firmware.
 *
 * It answers every BenchHello with your PenHello. A version-1 hello starts a fresh session
 * (your session_start is called, the tick counter is back at 0, and the PenHello carries
 * sequence number 0: sequence numbers restart with each hello); a hello of another version
 * is answered (the PenHello says version 1, so the bench can say what is wrong) and starts
 * nothing. Frames are handled in arrival order. In lockstep the link runs your firmware's
 * tick for each granted tick, in order, once it holds that tick's sensor frame (or at once
 * when the grant says sensor frames are withheld); it sends the tick's events, its actuator
 * frame and a Reached that counts them, and re-sends that same reply (new sequence numbers,
 * firmware not run again) when the bench grants the tick it has just run; a grant for an
 * older tick is ignored. In real time, nb_pen_link_poll runs the ticks due by the caller's
 * clock, each with the newest sensor frame since the previous tick (or none), and the
 * actuator frame carries the tick of the newest sensor frame acted on (0 before the first);
 * after NB_SESSION_IDLE_US without a frame from the bench the session ends and the pen
 * falls silent until the next hello. These are the rules of WIRE.md §5.8.
 *
 * Bytes to send go to the `emit` callback, one complete frame per call, in order; write
 * them to the UART as they come or collect them and write once.
 * ------------------------------------------------------------------------------------- */

/** Events one tick may report (more are dropped and counted in nb_pen_link_stats). */
#define NB_REPLY_MAX_EVENTS 32u
/** Sensor frames the link holds ahead of the firmware (lockstep batches). */
#define NB_SENSOR_WINDOW 64u

/** What your firmware's tick fills in. Start with `n_events` 0 (the link sets it). Event
 *  texts must stay valid until the next tick (string literals are). */
typedef struct {
    nb_actuators actuators;
    nb_event events[NB_REPLY_MAX_EVENTS];
    size_t n_events;
} nb_tick_reply;

/** Your firmware, as the link sees it. All three functions get `ctx` back. */
typedef struct {
    void *ctx;
    /** Fills in the PenHello the pen answers every BenchHello with. */
    void (*hello)(void *ctx, nb_pen_hello *hello);
    /** A new session starts (a BenchHello arrived): reset as at power-on; keep what the
     *  pen keeps in flash. */
    void (*session_start)(void *ctx);
    /** Runs one firmware tick: `tick` is the link's tick counter (from 0 each session),
     *  `now_us` the firmware time (tick × 1 000 000 / tick_rate_hz in lockstep; in real time
     *  the caller's clock at which the tick was due), `sensors` that tick's frame or NULL
     *  when none arrived. Fill `reply` (its actuators' `tick` is set by the link). */
    void (*tick)(void *ctx, uint32_t tick, uint64_t now_us, const nb_sensors *sensors,
                 nb_tick_reply *reply);
} nb_pen_firmware;

/** Receives each encoded frame to send (0x00 included); `ctx` is nb_pen_link.emit_ctx. */
typedef void (*nb_emit_fn)(void *ctx, const uint8_t *frame, size_t len);

typedef struct {
    uint64_t sessions;       /* BenchHellos answered */
    uint64_t ticks_run;      /* firmware ticks run */
    uint64_t replies_resent; /* replies re-sent on a repeated Grant */
    uint64_t encode_errors;  /* frames that could not be encoded (e.g. text too long): dropped */
    uint64_t events_dropped; /* events beyond NB_REPLY_MAX_EVENTS in one tick: dropped */
} nb_pen_link_stats;

/** The pen's link: about 3.2 KiB on a Cortex-M (mostly the sensor window and the cached
 *  reply), the decoder included. Set up with nb_pen_link_init; the fields are private. */
typedef struct {
    nb_pen_firmware fw;
    nb_emit_fn emit;
    void *emit_ctx;
    uint64_t tick_period_us;
    nb_encoder encoder;
    nb_decoder decoder;
    uint8_t in_session;      /* a BenchHello has arrived */
    nb_clock_mode clock;     /* of the current session */
    uint32_t next_tick;
    uint8_t has_grant;
    uint32_t grant_until;
    uint8_t grant_with_sensors;
    nb_sensors sensors[NB_SENSOR_WINDOW];
    uint8_t sensors_valid[NB_SENSOR_WINDOW];
    nb_sensors newest;
    uint8_t has_newest;
    uint32_t last_acted_tick;
    uint64_t session_start_us;
    uint64_t last_heard_us;  /* when the last frame from the bench arrived */
    nb_tick_reply reply; /* the last tick's reply, for re-sends */
    uint8_t has_reply;
    uint32_t reply_tick;
    nb_pen_link_stats stats;
} nb_pen_link;

/** Sets up `link` for `fw`, with `tick_rate_hz` (as its PenHello says; nb_tick_rate_valid) and
 *  `emit(emit_ctx, …)` for outgoing frames. Returns NB_ERR_INVALID for a bad rate or a
 *  missing callback. No session until a BenchHello arrives. */
nb_error nb_pen_link_init(nb_pen_link *link, const nb_pen_firmware *fw, uint32_t tick_rate_hz,
                          nb_emit_fn emit, void *emit_ctx);

/** Feeds `n` received bytes at the caller's time `now_us` (any monotonic µs clock; used
 *  only in real time: the session's start and the idle timeout; a lockstep-only port may
 *  pass 0). Calls the firmware and `emit` as needed. */
void nb_pen_link_on_bytes(nb_pen_link *link, const uint8_t *bytes, size_t n, uint64_t now_us);

/** Real time: runs every tick due by `now_us`. Does nothing outside a real-time session. */
void nb_pen_link_poll(nb_pen_link *link, uint64_t now_us);

/** Real time: when the next tick is due (µs on the caller's clock) in `*deadline_us`;
 *  returns 0 (and leaves it) outside a real-time session. */
int nb_pen_link_next_deadline_us(const nb_pen_link *link, uint64_t *deadline_us);

#ifdef __cplusplus
}
#endif

#endif /* NEEDLEBENCH_H */
