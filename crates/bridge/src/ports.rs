//! Serial ports on this machine, with what is known about them.

use serde::Serialize;

/// One serial port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortInfo {
    /// Device path.
    pub path: String,
    /// `usb`, `pci`, `bluetooth` or `unknown`.
    pub kind: &'static str,
    /// USB vendor id, if a USB device.
    pub usb_vid: Option<u16>,
    /// USB product id, if a USB device.
    pub usb_pid: Option<u16>,
    /// USB manufacturer string, if known.
    pub manufacturer: Option<String>,
    /// USB product string, if known.
    pub product: Option<String>,
    /// USB serial number, if known.
    pub serial_number: Option<String>,
}

/// The serial ports the system knows (pseudo-terminals are not listed).
pub fn list_ports() -> Result<Vec<PortInfo>, serialport::Error> {
    let mut ports: Vec<PortInfo> = serialport::available_ports()?
        .into_iter()
        .map(|p| {
            let mut info = PortInfo {
                path: p.port_name,
                kind: "unknown",
                usb_vid: None,
                usb_pid: None,
                manufacturer: None,
                product: None,
                serial_number: None,
            };
            match p.port_type {
                serialport::SerialPortType::UsbPort(usb) => {
                    info.kind = "usb";
                    info.usb_vid = Some(usb.vid);
                    info.usb_pid = Some(usb.pid);
                    info.manufacturer = usb.manufacturer;
                    info.product = usb.product;
                    info.serial_number = usb.serial_number;
                }
                serialport::SerialPortType::PciPort => info.kind = "pci",
                serialport::SerialPortType::BluetoothPort => info.kind = "bluetooth",
                serialport::SerialPortType::Unknown => {}
            }
            info
        })
        .collect();
    ports.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(ports)
}
