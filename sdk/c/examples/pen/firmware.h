/*
 * firmware.h — the C reference pen firmware core (platform-independent C99).
 *
 * A faithful port of the Rust reference firmware (crates/firmware) as FIRMWARE.md states
 * the pen contract: the state machine and buttons, speed levels and PI control with soft
 * start, every fault with its threshold and timing, the indicator, the cartridge lockout
 * and the events. It uses only <stdint.h>, <stddef.h>, <string.h> and float arithmetic
 * (single precision, in the same order as the Rust code, so that both give the same duty
 * on every tick).
 *
 * One call of pen_fw_tick is one step of the firmware's loop: it takes the sensor frame of
 * this tick (or NULL when none arrived) and the firmware time, and returns the actuator
 * frame; events queue in a fixed ring that pen_fw_poll_event drains. pen.h wraps it in the
 * SDK's nb_pen_link; the ports (port_host.c, port_lm3s6965.c) only move bytes.
 */
#ifndef PEN_FIRMWARE_H
#define PEN_FIRMWARE_H

#include <stddef.h>
#include <stdint.h>

#include "needlebench.h"

#define PEN_SPEED_LEVELS 6u
#define PEN_EVENT_CAPACITY 32u
#define PEN_CARTRIDGE_TABLE_LEN 16u
/** Hall periods shorter than this (> 500 strokes/s) are glitches and are ignored, µs. */
#define PEN_MIN_HALL_PERIOD_US 2000u

/** Every tunable, threshold and timing bound; pen_fw_default_config gives the shipped
 *  values (those of the Rust reference, FIRMWARE.md). */
typedef struct {
    uint32_t tick_rate_hz;                    /* 1000 */
    uint16_t speed_levels_hz[PEN_SPEED_LEVELS]; /* 80 95 110 125 138 150 */
    uint8_t default_speed_level;              /* 1 */
    float kp_duty_per_hz;                     /* 0.004 */
    float ki_duty_per_hz_s;                   /* 0.12 */
    float ff_hz_per_volt;                     /* 46 */
    uint32_t soft_start_ms;                   /* 300 */
    uint32_t long_press_ms;                   /* 1500 */
    uint8_t stall_speed_percent;              /* 40 */
    uint16_t stall_min_duty_permille;         /* 900 */
    uint32_t stall_time_ms;                   /* 100 */
    uint16_t over_current_ma;                 /* 2500 */
    uint32_t over_current_time_ms;            /* 5 */
    uint32_t link_loss_ticks;                 /* 10 */
    uint16_t battery_start_min_mv;            /* 3400 */
    uint16_t battery_run_min_mv;              /* 3200 */
    uint32_t battery_run_low_ms;              /* 50 */
    uint16_t battery_warn_mv;                 /* 3500 */
    uint64_t watchdog_timeout_us;             /* 5000 */
    uint32_t cartridge_max_run_s;             /* 1800 */
    uint32_t cartridge_max_strokes;           /* 250000 */
    const char *firmware_name;                /* "needlebench-c-pen" */
    const char *firmware_version;             /* PEN_FIRMWARE_VERSION */
} pen_fw_config;

#define PEN_FIRMWARE_VERSION "0.1.0"

/** Usage of one cartridge: running time and strokes (millionths, integrated every tick). */
typedef struct {
    uint32_t id;
    uint64_t run_us;
    uint64_t micro_strokes;
} pen_cartridge_usage;

typedef struct {
    pen_cartridge_usage usage;
    uint32_t last_used;
    uint8_t used;
} pen_cartridge_slot;

/** The firmware's whole state (about 1.5 KiB on a Cortex-M); plain data. */
typedef struct {
    pen_fw_config config;
    /* bounds in ticks */
    uint64_t tick_period_us;
    uint32_t long_press_ticks, stall_ticks_max, over_current_ticks_max, battery_low_ticks_max;
    uint64_t max_run_us;
    /* speed controller */
    float kp, ki_per_tick, ff, soft_start_ticks, top_level_hz;
    float target_hz, setpoint_hz, slew_hz_per_tick, integral_duty;
    /* events (drop-oldest ring) */
    nb_event events[PEN_EVENT_CAPACITY];
    size_t ev_head, ev_len;
    uint32_t events_dropped;
    /* cartridge lockout ("flash": survives a session start) */
    pen_cartridge_slot cartridges[PEN_CARTRIDGE_TABLE_LEN];
    uint32_t cartridge_clock;
    pen_cartridge_usage anonymous;
    uint8_t has_active;
    uint32_t active_id;
    size_t active_slot;
    /* state machine */
    nb_firmware_state state;
    nb_fault_code fault;
    uint8_t speed_level;
    uint32_t next_tick, tick;
    uint8_t has_last_now;
    uint64_t last_now_us;
    uint8_t raised_this_tick;
    uint32_t missed_frames;
    uint8_t held_buttons;
    uint32_t power_held_ticks;
    uint8_t long_press_armed;
    uint32_t stall_ticks, over_current_ticks, battery_low_ticks;
    uint16_t duty_permille;
    float measured_hz;
    uint16_t battery_mv;
    uint16_t depth_um;
} pen_fw;

/** The shipped configuration. */
pen_fw_config pen_fw_default_config(void);

/** Powers up `fw` with `config` (Off, empty lockout table). Returns 0, or -1 for a
 *  configuration that cannot work (a tick rate nb_tick_rate_valid refuses, levels not
 *  ascending, …). */
int pen_fw_init(pen_fw *fw, const pen_fw_config *config);

/** A new bench session: reset as at power-on, keeping the cartridge lockout table. */
void pen_fw_session_start(pen_fw *fw);

/** One firmware tick at firmware time `now_us`; `sensors` NULL when no frame arrived. */
nb_actuators pen_fw_tick(pen_fw *fw, uint64_t now_us, const nb_sensors *sensors);

/** Takes the oldest queued event into `*event`; returns 0 when none is queued. */
int pen_fw_poll_event(pen_fw *fw, nb_event *event);

/** The PenHello this firmware answers with. */
nb_pen_hello pen_fw_hello(const pen_fw *fw);

#endif /* PEN_FIRMWARE_H */
