//! `row_type!`: one declaration per row type generates everything that spells its columns.
//!
//! ```text
//! row_type! {
//!     /// doc of the struct
//!     #[derive(...)]
//!     pub struct PunctureRow in "punctures.csv", fast {
//!         /// doc of the field
//!         t_us: u64 => uint, "us";
//!         x_mm: f32 => float(resolution::MM), "mm";
//!         layer: Layer => named(Layer::ALL, Layer::name, "layer"), "name";
//!         bleeding: bool => boolean, "bool";
//!     }
//! }
//! ```
//!
//! Each line is `field: type => codec, "unit";`, in file order. The column is named after the
//! field. The codecs are `uint` (unsigned decimal), `float(steps)` (rounded to `1 / steps`,
//! see [`crate::rows::resolution`]), `boolean`, `named(ALL, name_fn, "what")` (one of an enum's
//! snake_case names), `text` (a `String`, CSV-quoted where needed) and `zone` (a
//! [`crate::ZoneRef`], written as the id from the recording's zone list; the column is left
//! out of files of recordings without one). From it come the
//! struct, [`crate::Row`] (`FILE`, `COLUMNS`, `UNITS`, `KINDS`, `rounded`) and the private
//! `Codec` (`encode`, `decode`, and with `fast` the fused `decode_line`, which has no `text`).

/// See the module docs.
macro_rules! row_type {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in $file:literal, fast {
            $(
                $(#[$fmeta:meta])*
                $field:ident : $ty:ty => $codec:ident $(($($arg:expr),*))? , $unit:literal;
            )*
        }
    ) => {
        row_type! {
            @common $(#[$meta])* $name $file {
                $($(#[$fmeta])* $field: $ty => $codec $(($($arg),*))?, $unit;)*
            }
        }

        impl $crate::codec::Codec for $name {
            row_type!(@codec $name { $($field => $codec $(($($arg),*))?),* });

            #[inline]
            fn decode_line(line: &[u8], skip: u32, ctx: &$crate::codec::Ctx) -> Option<Self> {
                let mut l = $crate::line::Line::new(
                    line,
                    skip,
                    <Self as $crate::rows::Row>::COLUMNS.len(),
                    ctx,
                );
                // struct fields are evaluated in the order written: the column order
                let row = $name {
                    $($field: row_type!(@line l, $codec $(($($arg),*))?),)*
                };
                l.at_end().then_some(row)
            }
        }
    };

    (
        $(#[$meta:meta])*
        pub struct $name:ident in $file:literal {
            $(
                $(#[$fmeta:meta])*
                $field:ident : $ty:ty => $codec:ident $(($($arg:expr),*))? , $unit:literal;
            )*
        }
    ) => {
        row_type! {
            @common $(#[$meta])* $name $file {
                $($(#[$fmeta])* $field: $ty => $codec $(($($arg),*))?, $unit;)*
            }
        }

        impl $crate::codec::Codec for $name {
            row_type!(@codec $name { $($field => $codec $(($($arg),*))?),* });
        }
    };

    (
        @common $(#[$meta:meta])* $name:ident $file:literal {
            $(
                $(#[$fmeta:meta])*
                $field:ident : $ty:ty => $codec:ident $(($($arg:expr),*))? , $unit:literal;
            )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[$fmeta])*
                pub $field: $ty,
            )*
        }

        impl $crate::rows::Row for $name {
            const FILE: &'static str = $file;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];
            const UNITS: &'static [&'static str] = &[$($unit),*];
            const KINDS: &'static [$crate::rows::ColumnKind] =
                &[$(row_type!(@kind $codec $(($($arg),*))?)),*];

            fn rounded(&self) -> Self {
                $name {
                    $($field: row_type!(@round self.$field, $codec $(($($arg),*))?),)*
                }
            }
        }
    };

    (@codec $name:ident { $($field:ident => $codec:ident $(($($arg:expr),*))?),* }) => {
        fn encode<W: std::io::Write>(
            &self,
            e: &mut $crate::codec::Enc<'_, W>,
        ) -> csv::Result<()> {
            $(row_type!(@enc e, self.$field, $codec $(($($arg),*))?);)*
            Ok(())
        }

        fn decode(d: &$crate::codec::Dec<'_>) -> Result<Self, $crate::codec::FieldErr> {
            /// Column indices, in file order.
            #[allow(non_camel_case_types)]
            enum Col { $($field),* }
            Ok($name {
                $($field: row_type!(@dec d, Col::$field as usize, $codec $(($($arg),*))?),)*
            })
        }
    };

    (@kind uint) => { $crate::rows::ColumnKind::Integer };
    (@kind float($steps:expr)) => { $crate::rows::ColumnKind::Float };
    (@kind boolean) => { $crate::rows::ColumnKind::Boolean };
    (@kind named($all:expr, $f:expr, $what:expr)) => { $crate::rows::ColumnKind::Name };
    (@kind text) => { $crate::rows::ColumnKind::Text };
    (@kind zone) => { $crate::rows::ColumnKind::Name };

    (@round $v:expr, float($steps:expr)) => { $crate::rows::round_to($v, $steps) };
    (@round $v:expr, text) => { $v.clone() };
    (@round $v:expr, $codec:ident $(($($arg:expr),*))?) => { $v };

    (@enc $e:ident, $v:expr, uint) => { $e.uint($v)? };
    (@enc $e:ident, $v:expr, float($steps:expr)) => { $e.float($v, $steps)? };
    (@enc $e:ident, $v:expr, boolean) => { $e.boolean($v)? };
    (@enc $e:ident, $v:expr, named($all:expr, $f:expr, $what:expr)) => { $e.text($f($v))? };
    (@enc $e:ident, $v:expr, text) => { $e.text(&$v)? };
    (@enc $e:ident, $v:expr, zone) => { $e.zone($v)? };

    (@dec $d:ident, $k:expr, uint) => { $d.uint($k)? };
    (@dec $d:ident, $k:expr, float($steps:expr)) => { $d.float($k)? };
    (@dec $d:ident, $k:expr, boolean) => { $d.boolean($k)? };
    (@dec $d:ident, $k:expr, named($all:expr, $f:expr, $what:expr)) => {
        $d.named($k, &$all, $f, $what)?
    };
    (@dec $d:ident, $k:expr, text) => { $d.text($k)?.to_owned() };
    (@dec $d:ident, $k:expr, zone) => { $d.zone($k)? };

    (@line $l:ident, uint) => { $l.uint()? };
    (@line $l:ident, float($steps:expr)) => { $l.float()? };
    (@line $l:ident, boolean) => { $l.boolean()? };
    (@line $l:ident, named($all:expr, $f:expr, $what:expr)) => { $l.named(&$all, $f)? };
    (@line $l:ident, zone) => { $l.zone()? };
}
