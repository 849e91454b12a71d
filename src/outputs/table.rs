//! Terminal tables aligned by display width: a Chinese character takes two
//! columns, so padding by characters would push every later column out.

use unicode_width::UnicodeWidthStr;

/// The columns a string takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `text` in lines of at most `cols` display columns, the first after
/// `first`, the others after `rest`. A line breaks at a space, or beside a
/// wide (Chinese) character, never inside a word or a number; a word
/// longer than a line is cut.
pub fn wrap(text: &str, cols: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(first);
    // Where the line's text starts, and the last place it may break.
    let mut start = first.len();
    let mut brk: Option<usize> = None;
    let mut prev_wide = false;
    for c in text.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        let wide = cw > 1;
        // Never before closing punctuation.
        let closing = "。、，；：）」,;:)".contains(c);
        if (wide || prev_wide) && !closing && line.len() > start {
            brk = Some(line.len());
        }
        if width(&line) + cw > cols && line.len() > start {
            let at = brk.unwrap_or(line.len());
            let tail = line.split_off(at);
            out.push_str(line.trim_end());
            out.push('\n');
            line = format!("{rest}{}", tail.trim_start());
            start = rest.len();
            brk = None;
        }
        if c != ' ' || line.len() > start {
            line.push(c);
        }
        if c == ' ' {
            brk = Some(line.len());
        }
        prev_wide = wide;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table: a header row (may be empty) and rows, each cell padded to its
/// column's widest cell, columns two spaces apart.
#[derive(Debug, Clone, Default)]
pub struct Table {
    head: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// Columns by (header, alignment); an all-empty header prints no row.
    pub fn new(cols: &[(&str, Align)]) -> Table {
        Table {
            head: cols.iter().map(|c| c.0.to_string()).collect(),
            align: cols.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table, each line after `indent`, trailing spaces trimmed.
    pub fn render(&self, indent: &str) -> String {
        let n = self.align.len();
        let mut w = vec![0; n];
        let show_head = self.head.iter().any(|h| !h.is_empty());
        let lines = show_head
            .then_some(&self.head)
            .into_iter()
            .chain(&self.rows);
        for r in lines.clone() {
            for (i, c) in r.iter().enumerate().take(n) {
                w[i] = w[i].max(width(c));
            }
        }
        let mut out = String::new();
        for r in lines {
            let mut line = String::from(indent);
            for (i, c) in r.iter().enumerate().take(n) {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = " ".repeat(w[i].saturating_sub(width(c)));
                match self.align[i] {
                    Align::Left => {
                        line.push_str(c);
                        line.push_str(&pad);
                    }
                    Align::Right => {
                        line.push_str(&pad);
                        line.push_str(c);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_cells_line_up_by_display_width() {
        let mut t = Table::new(&[("姓名", Align::Left), ("小时", Align::Right)]);
        t.row(vec!["王静".into(), "6.67".into()]);
        t.row(vec!["Ann Lee".into(), "12.00".into()]);
        let s = t.render("  ");
        // The right-aligned numbers end in the same column on every line
        // (padding by characters would leave 王静's line two short).
        let ends: Vec<usize> = s.lines().map(width).collect();
        assert_eq!(ends, vec![ends[0]; 3], "{s}");
        assert_eq!(width("王静"), 4);
        assert_eq!(s.lines().next(), Some("  姓名      小时"), "{s}");
    }
}
