//! User-facing language. Chinese by default, English on request.

use chrono::Weekday;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Pick the text for this language.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn weekday(self, wd: Weekday) -> &'static str {
        let i = wd.num_days_from_monday() as usize;
        match self {
            Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
            Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
        }
    }
}
