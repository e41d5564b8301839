#!/usr/bin/env python3
"""Independent (non-Rust) implementation of WIRE.md, used to write its golden vectors.

Prints the markdown of the golden-vector section of WIRE.md. The Rust tests check that the
crate encodes and decodes exactly these bytes, so the spec, this script and the code agree.
Run: python3 crates/protocol/tools/wire_goldens.py > /tmp/goldens.md
"""
import zlib


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def u8(n):
    return bytes([n])


def boolean(v):
    return b"\x01" if v else b"\x00"


def text(s):
    b = s.encode("utf-8")
    return varint(len(b)) + b


def cobs(data):
    out = bytearray()
    block = bytearray()
    for byte in data:
        if byte == 0:
            out.append(len(block) + 1)
            out += block
            block = bytearray()
        else:
            block.append(byte)
            if len(block) == 254:
                out.append(255)
                out += block
                block = bytearray()
    out.append(len(block) + 1)
    out += block
    return bytes(out)


def hexs(b):
    return " ".join(f"{x:02x}" for x in b)


# (name, seq, rust expression, [(field, value text, bytes)])
GOLDENS = [
    ("bench_hello", 0, "Message::BenchHello(BenchHello { protocol_version: 1, clock: ClockMode::Lockstep })", [
        ("tag", "BenchHello = 0", varint(0)),
        ("protocol_version", "u16 1", varint(1)),
        ("clock", "ClockMode::Lockstep = 0", varint(0)),
    ]),
    ("pen_hello", 0, 'Message::PenHello(PenHello { protocol_version: 1, firmware_name: "needlepen-ref", firmware_version: "0.1.0", capabilities: Capabilities { lockstep: true, tick_rate_hz: 1000, depth_control: DepthControl::Motorized } })', [
        ("tag", "PenHello = 1", varint(1)),
        ("protocol_version", "u16 1", varint(1)),
        ("firmware_name", 'str "needlepen-ref" (13 bytes)', text("needlepen-ref")),
        ("firmware_version", 'str "0.1.0" (5 bytes)', text("0.1.0")),
        ("capabilities.lockstep", "bool true", boolean(True)),
        ("capabilities.tick_rate_hz", "u32 1000", varint(1000)),
        ("capabilities.depth_control", "DepthControl::Motorized = 1", varint(1)),
    ]),
    ("sensors", 258, "Message::Sensors(SensorFrame { tick: 1000, motor_current_ma: 350, hall_period_us: 7692, battery_mv: 3900, depth_um: 1500, buttons: 1, cartridge: CartridgeInfo { present: true, id: 305419896, needle_count: 12 }, skin_contact: true })", [
        ("tag", "Sensors = 2", varint(2)),
        ("tick", "u32 1000", varint(1000)),
        ("motor_current_ma", "u16 350", varint(350)),
        ("hall_period_us", "u32 7692", varint(7692)),
        ("battery_mv", "u16 3900", varint(3900)),
        ("depth_um", "u16 1500", varint(1500)),
        ("buttons", "u8 0x01 (POWER)", u8(1)),
        ("cartridge.present", "bool true", boolean(True)),
        ("cartridge.id", "u32 305419896 (0x12345678)", varint(305419896)),
        ("cartridge.needle_count", "u8 12", u8(12)),
        ("skin_contact", "bool true", boolean(True)),
    ]),
    ("actuators", 258, "Message::Actuators(ActuatorFrame { tick: 1000, motor_duty_permille: 640, depth_setpoint_um: 1500, speed_level: 3, indicator: Indicator::Green, state: FirmwareState::Running, fault: FaultCode::None })", [
        ("tag", "Actuators = 3", varint(3)),
        ("tick", "u32 1000", varint(1000)),
        ("motor_duty_permille", "u16 640", varint(640)),
        ("depth_setpoint_um", "u16 1500", varint(1500)),
        ("speed_level", "u8 3", u8(3)),
        ("indicator", "Indicator::Green = 1", varint(1)),
        ("state", "FirmwareState::Running = 2", varint(2)),
        ("fault", "FaultCode::None = 0", varint(0)),
    ]),
    ("grant", 3, "Message::Grant(Grant { until_tick: 1001, with_sensors: true })", [
        ("tag", "Grant = 4", varint(4)),
        ("until_tick", "u32 1001", varint(1001)),
        ("with_sensors", "bool true", boolean(True)),
    ]),
    ("reached", 3, "Message::Reached(Reached { tick: 1001, frames: 2 })", [
        ("tag", "Reached = 5", varint(5)),
        ("tick", "u32 1001", varint(1001)),
        ("frames", "u16 2", varint(2)),
    ]),
    ("event_state_changed", 4, "Message::Event(Event::StateChanged { tick: 1200, from: FirmwareState::Idle, to: FirmwareState::Running })", [
        ("tag", "Event = 6", varint(6)),
        ("event", "Event::StateChanged = 0", varint(0)),
        ("tick", "u32 1200", varint(1200)),
        ("from", "FirmwareState::Idle = 1", varint(1)),
        ("to", "FirmwareState::Running = 2", varint(2)),
    ]),
    ("event_fault_raised", 5, "Message::Event(Event::FaultRaised { tick: 1500, code: FaultCode::Stall })", [
        ("tag", "Event = 6", varint(6)),
        ("event", "Event::FaultRaised = 1", varint(1)),
        ("tick", "u32 1500", varint(1500)),
        ("code", "FaultCode::Stall = 1", varint(1)),
    ]),
    ("event_fault_cleared", 6, "Message::Event(Event::FaultCleared { tick: 2000, code: FaultCode::LowBattery })", [
        ("tag", "Event = 6", varint(6)),
        ("event", "Event::FaultCleared = 2", varint(2)),
        ("tick", "u32 2000", varint(2000)),
        ("code", "FaultCode::LowBattery = 4", varint(4)),
    ]),
    ("event_log", 65535, 'Message::Event(Event::Log { tick: 2001, level: LogLevel::Warn, text: "battery low" })', [
        ("tag", "Event = 6", varint(6)),
        ("event", "Event::Log = 3", varint(3)),
        ("tick", "u32 2001", varint(2001)),
        ("level", "LogLevel::Warn = 2", varint(2)),
        ("text", 'str "battery low" (11 bytes)', text("battery low")),
    ]),
]


def main():
    for name, seq, rust, fields in GOLDENS:
        header = seq.to_bytes(2, "little")
        payload = b"".join(b for _, _, b in fields)
        crc = zlib.crc32(header + payload)
        raw = header + payload + crc.to_bytes(4, "little")
        frame = cobs(raw) + b"\x00"
        print(f"### `{name}`\n")
        print(f"Message (Rust notation): `{rust}`, sequence number {seq}.\n")
        print("| part | value | bytes |")
        print("|---|---|---|")
        print(f"| seq | u16 LE {seq} | `{hexs(header)}` |")
        for field, value, b in fields:
            print(f"| {field} | {value} | `{hexs(b)}` |")
        print(f"| crc | CRC-32 0x{crc:08x} of the {len(header + payload)} bytes above, LE | `{hexs(crc.to_bytes(4, 'little'))}` |")
        print()
        print(f"Raw frame ({len(raw)} bytes): `{hexs(raw)}`\n")
        print(f"On the wire, after COBS and the delimiter ({len(frame)} bytes):\n")
        print(f"```hex golden={name}\n{hexs(frame)}\n```\n")


main()
