/*
 * firmware.c — the C reference pen firmware core. See firmware.h and FIRMWARE.md.
 *
 * Each function mirrors the Rust reference (crates/firmware/src) of the same name, in the
 * same order of operations, so that the C pen drives the same duty as the Rust one.
 */
#include "firmware.h"

#include <string.h>

pen_fw_config pen_fw_default_config(void) {
    pen_fw_config c;
    static const uint16_t levels[PEN_SPEED_LEVELS] = {80, 95, 110, 125, 138, 150};
    memset(&c, 0, sizeof c);
    c.tick_rate_hz = 1000;
    memcpy(c.speed_levels_hz, levels, sizeof levels);
    c.default_speed_level = 1;
    c.kp_duty_per_hz = 0.004f;
    c.ki_duty_per_hz_s = 0.12f;
    c.ff_hz_per_volt = 46.0f;
    c.soft_start_ms = 300;
    c.long_press_ms = 1500;
    c.stall_speed_percent = 40;
    c.stall_min_duty_permille = 900;
    c.stall_time_ms = 100;
    c.over_current_ma = 2500;
    c.over_current_time_ms = 5;
    c.link_loss_ticks = 10;
    c.battery_start_min_mv = 3400;
    c.battery_run_min_mv = 3200;
    c.battery_run_low_ms = 50;
    c.battery_warn_mv = 3500;
    c.watchdog_timeout_us = 5000;
    c.cartridge_max_run_s = 1800;
    c.cartridge_max_strokes = 250000;
    c.firmware_name = "needlebench-c-pen";
    c.firmware_version = PEN_FIRMWARE_VERSION;
    return c;
}

/* `ms` in ticks, rounded up, at least 1. */
static uint32_t ms_to_ticks(const pen_fw_config *c, uint32_t ms) {
    uint64_t ticks = ((uint64_t)ms * c->tick_rate_hz + 999u) / 1000u;
    if (ticks > 0xFFFFFFFFu) ticks = 0xFFFFFFFFu;
    return ticks == 0 ? 1u : (uint32_t)ticks;
}

static uint16_t level_hz(const pen_fw_config *c, uint8_t level) {
    return (level >= 1 && level <= PEN_SPEED_LEVELS) ? c->speed_levels_hz[level - 1] : 0;
}

static nb_str str_of(const char *s) {
    nb_str r;
    r.data = s;
    r.len = s ? strlen(s) : 0;
    return r;
}

/* ---------------------------------------------------------------------------------------
 * Speed controller (crates/firmware/src/control.rs)
 * ------------------------------------------------------------------------------------- */

static void ctl_stop(pen_fw *fw) {
    fw->target_hz = 0.0f;
    fw->setpoint_hz = 0.0f;
    fw->slew_hz_per_tick = 0.0f;
    fw->integral_duty = 0.0f;
}

static void ctl_start(pen_fw *fw, float target_hz) {
    ctl_stop(fw);
    fw->target_hz = target_hz;
    fw->slew_hz_per_tick = target_hz / fw->soft_start_ticks;
}

static void ctl_set_target(pen_fw *fw, float target_hz) {
    fw->target_hz = target_hz;
    fw->slew_hz_per_tick = fw->top_level_hz / fw->soft_start_ticks;
}

static float clampf(float v, float lo, float hi) {
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    return v;
}

static float ctl_step(pen_fw *fw, float measured_hz, uint16_t battery_mv) {
    float delta = fw->target_hz - fw->setpoint_hz;
    fw->setpoint_hz += clampf(delta, -fw->slew_hz_per_tick, fw->slew_hz_per_tick);

    float battery_v = (float)battery_mv / 1000.0f;
    float feed_forward = 0.0f;
    if (fw->ff > 0.0f && battery_v > 0.5f) {
        feed_forward = fw->setpoint_hz / (fw->ff * battery_v);
    }
    float error_hz = fw->setpoint_hz - measured_hz;
    float proportional = fw->kp * error_hz;
    float candidate = clampf(fw->integral_duty + fw->ki_per_tick * error_hz, -1.0f, 1.0f);
    float unclamped = feed_forward + proportional + candidate;
    /* Clamping anti-windup: integrate only while that does not push the output further
     * into saturation. */
    int winding_up = (unclamped > 1.0f && error_hz > 0.0f) || (unclamped < 0.0f && error_hz < 0.0f);
    if (!winding_up) fw->integral_duty = candidate;
    float duty = clampf(feed_forward + proportional + fw->integral_duty, 0.0f, 1.0f);
    /* NaN or infinity: not finite (x - x is 0 only for finite x). */
    return (duty - duty == 0.0f) ? duty : 0.0f;
}

/* ---------------------------------------------------------------------------------------
 * Events and the cartridge table (events.rs, lockout.rs)
 * ------------------------------------------------------------------------------------- */

static void push_event(pen_fw *fw, const nb_event *e) {
    if (fw->ev_len == PEN_EVENT_CAPACITY) {
        fw->ev_head = (fw->ev_head + 1u) % PEN_EVENT_CAPACITY;
        fw->ev_len--;
        if (fw->events_dropped != 0xFFFFFFFFu) fw->events_dropped++;
    }
    fw->events[(fw->ev_head + fw->ev_len) % PEN_EVENT_CAPACITY] = *e;
    fw->ev_len++;
}

int pen_fw_poll_event(pen_fw *fw, nb_event *event) {
    if (fw->ev_len == 0) return 0;
    *event = fw->events[fw->ev_head];
    fw->ev_head = (fw->ev_head + 1u) % PEN_EVENT_CAPACITY;
    fw->ev_len--;
    return 1;
}

static int usage_expired(const pen_cartridge_usage *u, uint64_t max_run_us, uint64_t max_strokes) {
    return u->run_us >= max_run_us || u->micro_strokes / 1000000u >= max_strokes;
}

static void usage_add(pen_cartridge_usage *u, uint64_t run_us, uint64_t micro_strokes) {
    u->run_us = (u->run_us > UINT64_MAX - run_us) ? UINT64_MAX : u->run_us + run_us;
    u->micro_strokes = (u->micro_strokes > UINT64_MAX - micro_strokes)
                           ? UINT64_MAX
                           : u->micro_strokes + micro_strokes;
}

static int table_find(const pen_fw *fw, uint32_t id) {
    for (size_t i = 0; i < PEN_CARTRIDGE_TABLE_LEN; i++) {
        if (fw->cartridges[i].used && fw->cartridges[i].usage.id == id) return (int)i;
    }
    return -1;
}

/* The slot of `id`, inserted (evicting the least recently used when full); marked used. */
static size_t table_touch(pen_fw *fw, uint32_t id) {
    fw->cartridge_clock++;
    uint32_t clock = fw->cartridge_clock;
    int found = table_find(fw, id);
    if (found >= 0) {
        fw->cartridges[found].last_used = clock;
        return (size_t)found;
    }
    size_t index = PEN_CARTRIDGE_TABLE_LEN;
    for (size_t i = 0; i < PEN_CARTRIDGE_TABLE_LEN; i++) {
        if (!fw->cartridges[i].used) {
            index = i;
            break;
        }
    }
    if (index == PEN_CARTRIDGE_TABLE_LEN) {
        /* Least recently used: the largest age; on a tie the last, as Rust's max_by_key. */
        uint32_t oldest = 0;
        index = 0;
        for (size_t i = 0; i < PEN_CARTRIDGE_TABLE_LEN; i++) {
            uint32_t age = clock - fw->cartridges[i].last_used;
            if (age >= oldest) {
                oldest = age;
                index = i;
            }
        }
    }
    memset(&fw->cartridges[index], 0, sizeof fw->cartridges[index]);
    fw->cartridges[index].used = 1;
    fw->cartridges[index].usage.id = id;
    fw->cartridges[index].last_used = clock;
    return index;
}

static const pen_cartridge_usage *cartridge_usage(const pen_fw *fw, uint32_t id) {
    if (id == 0) return &fw->anonymous;
    int i = table_find(fw, id);
    return i >= 0 ? &fw->cartridges[i].usage : NULL;
}

static int is_expired(const pen_fw *fw, uint32_t id) {
    const pen_cartridge_usage *u = cartridge_usage(fw, id);
    return u != NULL && usage_expired(u, fw->max_run_us, fw->config.cartridge_max_strokes);
}

/* ---------------------------------------------------------------------------------------
 * Setup
 * ------------------------------------------------------------------------------------- */

int pen_fw_init(pen_fw *fw, const pen_fw_config *config) {
    const pen_fw_config *c = config;
    if (!nb_tick_rate_valid(c->tick_rate_hz)) return -1;
    uint16_t previous = 0;
    for (size_t i = 0; i < PEN_SPEED_LEVELS; i++) {
        if (c->speed_levels_hz[i] <= previous) return -1;
        previous = c->speed_levels_hz[i];
    }
    if (c->default_speed_level < 1 || c->default_speed_level > PEN_SPEED_LEVELS) return -1;
    if (!(c->kp_duty_per_hz >= 0.0f) || !(c->ki_duty_per_hz_s >= 0.0f) ||
        !(c->ff_hz_per_volt >= 0.0f)) {
        return -1;
    }
    if (c->firmware_name == NULL || c->firmware_version == NULL) return -1;
    memset(fw, 0, sizeof *fw);
    fw->config = *c;
    fw->tick_period_us = 1000000u / c->tick_rate_hz;
    fw->long_press_ticks = ms_to_ticks(c, c->long_press_ms);
    fw->stall_ticks_max = ms_to_ticks(c, c->stall_time_ms);
    fw->over_current_ticks_max = ms_to_ticks(c, c->over_current_time_ms);
    fw->battery_low_ticks_max = ms_to_ticks(c, c->battery_run_low_ms);
    fw->max_run_us = (uint64_t)c->cartridge_max_run_s * 1000000u;
    fw->kp = c->kp_duty_per_hz;
    fw->ki_per_tick = c->ki_duty_per_hz_s * (1.0f / (float)c->tick_rate_hz);
    fw->ff = c->ff_hz_per_volt;
    fw->soft_start_ticks = (float)ms_to_ticks(c, c->soft_start_ms);
    fw->top_level_hz = (float)c->speed_levels_hz[PEN_SPEED_LEVELS - 1];
    fw->state = NB_STATE_OFF;
    fw->fault = NB_FAULT_NONE;
    fw->speed_level = c->default_speed_level;
    return 0;
}

void pen_fw_session_start(pen_fw *fw) {
    pen_cartridge_slot table[PEN_CARTRIDGE_TABLE_LEN];
    uint32_t clock = fw->cartridge_clock;
    pen_fw_config config = fw->config;
    memcpy(table, fw->cartridges, sizeof table);
    if (pen_fw_init(fw, &config) == 0) {
        memcpy(fw->cartridges, table, sizeof table);
        fw->cartridge_clock = clock;
    }
}

nb_pen_hello pen_fw_hello(const pen_fw *fw) {
    nb_pen_hello h;
    memset(&h, 0, sizeof h);
    h.protocol_version = NB_PROTOCOL_VERSION;
    h.firmware_name = str_of(fw->config.firmware_name);
    h.firmware_version = str_of(fw->config.firmware_version);
    h.lockstep = 1;
    h.tick_rate_hz = fw->config.tick_rate_hz;
    h.depth_control = NB_DEPTH_MANUAL_DIAL;
    return h;
}

/* ---------------------------------------------------------------------------------------
 * State machine (firmware.rs)
 * ------------------------------------------------------------------------------------- */

static void set_state(pen_fw *fw, nb_firmware_state to) {
    if (to == fw->state) return;
    nb_event e;
    memset(&e, 0, sizeof e);
    e.kind = NB_EVENT_STATE_CHANGED;
    e.tick = fw->tick;
    e.u.state_changed.from = fw->state;
    e.u.state_changed.to = to;
    push_event(fw, &e);
    fw->state = to;
}

static void log_line(pen_fw *fw, nb_log_level level, const char *text) {
    nb_event e;
    memset(&e, 0, sizeof e);
    e.kind = NB_EVENT_LOG;
    e.tick = fw->tick;
    e.u.log.level = level;
    e.u.log.text = str_of(text);
    push_event(fw, &e);
}

static void reset_monitors(pen_fw *fw) {
    fw->stall_ticks = 0;
    fw->over_current_ticks = 0;
    fw->battery_low_ticks = 0;
}

/* Latches `code` (the first fault wins until cleared): motor off in this tick. */
static void raise_fault(pen_fw *fw, nb_fault_code code) {
    if (fw->state == NB_STATE_FAULT) return;
    ctl_stop(fw);
    reset_monitors(fw);
    fw->duty_permille = 0;
    fw->fault = code;
    fw->raised_this_tick = 1;
    nb_event e;
    memset(&e, 0, sizeof e);
    e.kind = NB_EVENT_FAULT_RAISED;
    e.tick = fw->tick;
    e.u.fault = code;
    push_event(fw, &e);
    set_state(fw, NB_STATE_FAULT);
}

static void clear_fault(pen_fw *fw) {
    if (fw->fault == NB_FAULT_NONE) return;
    nb_event e;
    memset(&e, 0, sizeof e);
    e.kind = NB_EVENT_FAULT_CLEARED;
    e.tick = fw->tick;
    e.u.fault = fw->fault;
    push_event(fw, &e);
    fw->fault = NB_FAULT_NONE;
}

static void check_watchdog(pen_fw *fw, uint64_t now_us) {
    int had_previous = fw->has_last_now;
    uint64_t previous = fw->last_now_us;
    fw->has_last_now = 1;
    fw->last_now_us = now_us;
    if (fw->state == NB_STATE_OFF || !had_previous) return;
    if (now_us < previous || now_us - previous > fw->config.watchdog_timeout_us) {
        raise_fault(fw, NB_FAULT_WATCHDOG);
    }
}

/* Adds one tick of running to the seated cartridge (`info` NULL: the one last seen). */
static void account_usage(pen_fw *fw, const nb_sensors *info) {
    uint64_t run_us = fw->tick_period_us;
    uint64_t micro_strokes = (uint64_t)(fw->measured_hz * (float)run_us);
    uint32_t id = info ? info->cartridge_id : (fw->has_active ? fw->active_id : 0u);
    if (id == 0) {
        usage_add(&fw->anonymous, run_us, micro_strokes);
        return;
    }
    size_t slot;
    if (fw->has_active && fw->active_id == id) {
        slot = fw->active_slot;
    } else {
        slot = table_touch(fw, id);
        fw->has_active = 1;
        fw->active_id = id;
        fw->active_slot = slot;
    }
    if (fw->cartridges[slot].used) usage_add(&fw->cartridges[slot].usage, run_us, micro_strokes);
}

static void on_missing_frame(pen_fw *fw) {
    if (fw->missed_frames != 0xFFFFFFFFu) fw->missed_frames++;
    if (fw->state != NB_STATE_RUNNING) return;
    if (fw->missed_frames >= fw->config.link_loss_ticks) {
        raise_fault(fw, NB_FAULT_LINK_LOSS);
        return;
    }
    /* The motor keeps the last duty until the bound; the cartridge still wears. */
    account_usage(fw, NULL);
}

static void try_start(pen_fw *fw, const nb_sensors *frame) {
    if (!frame->cartridge_present) {
        log_line(fw, NB_LOG_WARN, "start refused: no cartridge");
        raise_fault(fw, NB_FAULT_CARTRIDGE_ABSENT);
    } else if (is_expired(fw, frame->cartridge_id)) {
        log_line(fw, NB_LOG_WARN, "start refused: cartridge used up");
        raise_fault(fw, NB_FAULT_CARTRIDGE_EXPIRED);
    } else if (frame->battery_mv < fw->config.battery_start_min_mv) {
        log_line(fw, NB_LOG_WARN, "start refused: battery low");
        raise_fault(fw, NB_FAULT_LOW_BATTERY);
    } else {
        if (frame->cartridge_id != 0) {
            size_t slot = table_touch(fw, frame->cartridge_id);
            fw->has_active = 1;
            fw->active_id = frame->cartridge_id;
            fw->active_slot = slot;
        }
        reset_monitors(fw);
        ctl_start(fw, (float)level_hz(&fw->config, fw->speed_level));
        set_state(fw, NB_STATE_RUNNING);
    }
}

static void try_clear(pen_fw *fw, const nb_sensors *frame) {
    if (fw->raised_this_tick) return;
    int gone;
    switch (fw->fault) {
    case NB_FAULT_OVER_CURRENT: gone = frame->motor_current_ma <= fw->config.over_current_ma; break;
    case NB_FAULT_LOW_BATTERY: gone = frame->battery_mv >= fw->config.battery_start_min_mv; break;
    case NB_FAULT_CARTRIDGE_ABSENT: gone = frame->cartridge_present; break;
    case NB_FAULT_CARTRIDGE_EXPIRED:
        gone = frame->cartridge_present && !is_expired(fw, frame->cartridge_id);
        break;
    default: gone = 1; break;
    }
    if (gone) {
        clear_fault(fw);
        set_state(fw, NB_STATE_IDLE);
    } else {
        log_line(fw, NB_LOG_WARN, "fault not cleared: condition persists");
    }
}

static void power_off(pen_fw *fw) {
    if (fw->state == NB_STATE_OFF) return;
    clear_fault(fw);
    ctl_stop(fw);
    set_state(fw, NB_STATE_OFF);
}

static void on_power_press(pen_fw *fw, const nb_sensors *frame) {
    switch (fw->state) {
    case NB_STATE_OFF:
        fw->speed_level = fw->config.default_speed_level;
        set_state(fw, NB_STATE_IDLE);
        break;
    case NB_STATE_IDLE: try_start(fw, frame); break;
    case NB_STATE_RUNNING:
        ctl_stop(fw);
        set_state(fw, NB_STATE_IDLE);
        break;
    case NB_STATE_FAULT: try_clear(fw, frame); break;
    }
}

static void handle_buttons(pen_fw *fw, const nb_sensors *frame) {
    uint8_t pressed = (uint8_t)(frame->buttons & (uint8_t)~fw->held_buttons);
    fw->held_buttons = frame->buttons;
    if ((frame->buttons & NB_BUTTON_POWER) == 0) {
        fw->power_held_ticks = 0;
        fw->long_press_armed = 0;
    } else if (fw->power_held_ticks != 0xFFFFFFFFu) {
        fw->power_held_ticks++;
    }
    if (pressed & NB_BUTTON_POWER) {
        fw->long_press_armed = fw->state != NB_STATE_OFF;
        on_power_press(fw, frame);
    } else if (fw->long_press_armed && fw->power_held_ticks >= fw->long_press_ticks) {
        fw->long_press_armed = 0;
        power_off(fw);
    }
    if (fw->state == NB_STATE_OFF || fw->state == NB_STATE_FAULT) return;
    uint8_t level = fw->speed_level;
    if (pressed & NB_BUTTON_SPEED_UP) {
        level = (uint8_t)(level + 1u > PEN_SPEED_LEVELS ? PEN_SPEED_LEVELS : level + 1u);
    }
    if (pressed & NB_BUTTON_SPEED_DOWN) {
        level = (uint8_t)(level <= 1u ? 1u : level - 1u);
    }
    if (level != fw->speed_level) {
        fw->speed_level = level;
        log_line(fw, NB_LOG_INFO, "speed level changed");
        if (fw->state == NB_STATE_RUNNING) {
            ctl_set_target(fw, (float)level_hz(&fw->config, level));
        }
    }
}

/* Safety monitors that read the frame; each raises its fault at its bound. */
static void monitor(pen_fw *fw, const nb_sensors *frame) {
    if (fw->state == NB_STATE_OFF || fw->state == NB_STATE_FAULT) return;
    if (frame->motor_current_ma > fw->config.over_current_ma) {
        if (fw->over_current_ticks != 0xFFFFFFFFu) fw->over_current_ticks++;
        if (fw->over_current_ticks >= fw->over_current_ticks_max) {
            raise_fault(fw, NB_FAULT_OVER_CURRENT);
            return;
        }
    } else {
        fw->over_current_ticks = 0;
    }
    if (fw->state != NB_STATE_RUNNING) return;
    if (!frame->cartridge_present) {
        raise_fault(fw, NB_FAULT_CARTRIDGE_ABSENT);
        return;
    }
    if (frame->battery_mv < fw->config.battery_run_min_mv) {
        if (fw->battery_low_ticks != 0xFFFFFFFFu) fw->battery_low_ticks++;
        if (fw->battery_low_ticks >= fw->battery_low_ticks_max) {
            raise_fault(fw, NB_FAULT_LOW_BATTERY);
            return;
        }
    } else {
        fw->battery_low_ticks = 0;
    }
    account_usage(fw, frame);
    if (is_expired(fw, frame->cartridge_id)) raise_fault(fw, NB_FAULT_CARTRIDGE_EXPIRED);
}

/* Runs the controller and the stall monitor on its output. */
static void control(pen_fw *fw) {
    float duty = ctl_step(fw, fw->measured_hz, fw->battery_mv);
    uint16_t duty_permille = (uint16_t)(duty * 1000.0f + 0.5f);
    float setpoint_hz = fw->setpoint_hz;
    int collapsed =
        fw->measured_hz * 100.0f < setpoint_hz * (float)fw->config.stall_speed_percent;
    if (collapsed && duty_permille >= fw->config.stall_min_duty_permille) {
        if (fw->stall_ticks != 0xFFFFFFFFu) fw->stall_ticks++;
        if (fw->stall_ticks >= fw->stall_ticks_max) {
            raise_fault(fw, NB_FAULT_STALL);
            return;
        }
    } else {
        fw->stall_ticks = 0;
    }
    fw->duty_permille = duty_permille > 1000u ? 1000u : duty_permille;
}

static void on_frame(pen_fw *fw, const nb_sensors *frame) {
    if (frame->hall_period_us == 0) {
        fw->measured_hz = 0.0f;
    } else if (frame->hall_period_us >= PEN_MIN_HALL_PERIOD_US) {
        fw->measured_hz = 1e6f / (float)frame->hall_period_us;
    } /* else: a glitch faster than the motor can turn; keep the last measurement. */
    fw->battery_mv = frame->battery_mv;
    fw->depth_um = frame->depth_um;
    if (!frame->cartridge_present) {
        memset(&fw->anonymous, 0, sizeof fw->anonymous);
    }
    handle_buttons(fw, frame);
    monitor(fw, frame);
    if (fw->state == NB_STATE_RUNNING) control(fw);
}

static nb_actuators current_frame(const pen_fw *fw) {
    nb_actuators a;
    memset(&a, 0, sizeof a);
    switch (fw->state) {
    case NB_STATE_OFF: a.indicator = NB_INDICATOR_OFF; break;
    case NB_STATE_FAULT: a.indicator = NB_INDICATOR_RED; break;
    default:
        a.indicator = fw->battery_mv < fw->config.battery_warn_mv ? NB_INDICATOR_AMBER
                                                                  : NB_INDICATOR_GREEN;
        break;
    }
    a.tick = fw->tick;
    a.motor_duty_permille = fw->duty_permille;
    a.depth_setpoint_um = fw->depth_um;
    a.speed_level = fw->state == NB_STATE_OFF ? 0 : fw->speed_level;
    a.state = fw->state;
    a.fault = fw->fault;
    return a;
}

nb_actuators pen_fw_tick(pen_fw *fw, uint64_t now_us, const nb_sensors *sensors) {
    fw->tick = sensors ? sensors->tick : fw->next_tick;
    fw->next_tick = fw->tick + 1u;
    fw->raised_this_tick = 0;
    check_watchdog(fw, now_us);
    if (sensors) {
        fw->missed_frames = 0;
        on_frame(fw, sensors);
    } else {
        on_missing_frame(fw);
    }
    if (fw->state != NB_STATE_RUNNING) fw->duty_permille = 0;
    return current_frame(fw);
}
