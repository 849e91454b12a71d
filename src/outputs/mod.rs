//! What people read: the user's language, atomic files and Excel-friendly
//! CSV, terminal reports, the HTML page, the handover sheet and calendars.

pub mod files;
pub mod handover;
pub mod html;
pub mod ics;
pub mod lang;
pub mod terminal;
