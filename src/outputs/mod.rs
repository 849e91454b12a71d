//! What people read: atomic files and Excel-friendly CSV, the roster and
//! summary files, terminal reports, the HTML page, the handover sheet,
//! calendars and the messages that tell people of a change.

pub mod chart;
pub mod files;
pub mod handover;
pub mod html;
pub mod ics;
pub mod notice;
pub mod print;
pub mod robot;
pub mod roster_csv;
pub mod school_files;
pub mod shortage;
pub mod table;
pub mod template;
pub mod terminal;
