//! Charts drawn on the server as SVG text (no script; they print like
//! the page around them): a histogram of values in equal bins and a
//! trend of one or more series over labelled points. Pure functions of
//! their data; every text is escaped. Each bar and point carries its
//! value (`data-count`, `data-value`) so a test can read the chart back.

use std::fmt::Write;

const W: f64 = 420.0;
const H: f64 = 230.0;
/// Plot area: left, right, top, bottom margins.
const L: f64 = 48.0;
const R: f64 = 16.0;
const T: f64 = 28.0;
const B: f64 = 44.0;
const FONT: &str = "'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif";

/// Text safe inside an element or an attribute.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One bin of a histogram: values in `[from, to)` (the last bin holds its `to`).
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    pub count: usize,
}

/// `values` in `n` equal bins from the smallest to the largest (one bin
/// when they are all equal; none without values). NaN is left out.
pub fn bins(values: &[f64], n: usize) -> Vec<Bin> {
    let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let (Some(lo), Some(hi)) = (
        v.iter().copied().reduce(f64::min),
        v.iter().copied().reduce(f64::max),
    ) else {
        return Vec::new();
    };
    let n = if hi > lo { n.max(1) } else { 1 };
    let step = if hi > lo { (hi - lo) / n as f64 } else { 1.0 };
    let mut out: Vec<Bin> = (0..n)
        .map(|i| Bin {
            from: lo + step * i as f64,
            to: if i + 1 == n {
                hi.max(lo + step)
            } else {
                lo + step * (i + 1) as f64
            },
            count: 0,
        })
        .collect();
    for x in v {
        let i = (((x - lo) / step) as usize).min(n - 1);
        out[i].count += 1;
    }
    out
}

fn open(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{t}\" font-family=\"{FONT}\" font-size=\"12\"><title>{t}</title><text x=\"{L}\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{t}</text>",
        t = esc(title)
    );
}

/// The axes, the y axis's ticks from 0 to `top` and its label.
fn axes(out: &mut String, top: f64, y_label: &str, x_label: &str, decimals: usize) {
    let (x0, y0, y1) = (L, H - B, T);
    let _ = write!(
        out,
        "<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x2}\" y2=\"{y0}\" stroke=\"#333\"/><line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x0}\" y2=\"{y1}\" stroke=\"#333\"/>",
        x2 = W - R
    );
    for i in 0..=4 {
        let v = top * f64::from(i) / 4.0;
        let y = y0 - (y0 - y1) * f64::from(i) / 4.0;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v:.decimals$}</text><line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>",
            x0 - 4.0,
            y + 4.0,
            W - R
        );
    }
    let _ = write!(
        out,
        "<text x=\"12\" y=\"{:.1}\" transform=\"rotate(-90 12 {:.1})\" text-anchor=\"middle\">{}</text><text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        (y0 + y1) / 2.0,
        (y0 + y1) / 2.0,
        esc(y_label),
        (L + W - R) / 2.0,
        H - 6.0,
        esc(x_label)
    );
}

/// A histogram: one bar per bin, its height the bin's count, the bin's
/// range below it.
pub fn histogram(title: &str, x_label: &str, y_label: &str, bins: &[Bin]) -> String {
    let mut out = String::new();
    open(&mut out, title);
    let top = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    // Whole ticks: round the top up to a multiple of 4.
    let top = top.div_ceil(4) * 4;
    axes(&mut out, top as f64, y_label, x_label, 0);
    let plot_w = W - L - R;
    let plot_h = H - B - T;
    let bw = plot_w / bins.len().max(1) as f64;
    for (i, b) in bins.iter().enumerate() {
        let h = plot_h * b.count as f64 / top as f64;
        let x = L + bw * i as f64;
        let _ = write!(
            out,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#1f4e79\" data-count=\"{}\" data-from=\"{:.3}\" data-to=\"{:.3}\"><title>{:.2}–{:.2}: {}</title></rect>",
            x + 2.0,
            H - B - h,
            (bw - 4.0).max(1.0),
            b.count,
            b.from,
            b.to,
            b.from,
            b.to,
            b.count
        );
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{:.2}</text>",
            x + bw / 2.0,
            H - B + 12.0,
            (b.from + b.to) / 2.0
        );
    }
    out.push_str("</svg>");
    out
}

/// One line of a trend chart.
pub struct Series<'a> {
    pub label: &'a str,
    pub values: &'a [f64],
    /// `person` (solid) or `average` (dashed).
    pub class: &'a str,
}

/// A trend: each series a line through its points, one per x label; a
/// legend of the series' labels.
pub fn trend(
    title: &str,
    x_label: &str,
    y_label: &str,
    xs: &[String],
    series: &[Series],
) -> String {
    let mut out = String::new();
    open(&mut out, title);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let top = if max > 0.0 {
        (max * 1.1 * 4.0).ceil() / 4.0
    } else {
        1.0
    };
    axes(&mut out, top, y_label, x_label, 2);
    let plot_w = W - L - R;
    let plot_h = H - B - T;
    let step = plot_w / xs.len().max(1) as f64;
    let x_at = |i: usize| L + step * (i as f64 + 0.5);
    let y_at = |v: f64| H - B - plot_h * v / top;
    // Every k-th label, so that labels do not overlap (about 36 px each).
    let every = ((xs.len() as f64 * 36.0) / plot_w).ceil().max(1.0) as usize;
    for (i, x) in xs.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{}</text>",
            x_at(i),
            H - B + 12.0,
            esc(x)
        );
    }
    for (k, s) in series.iter().enumerate() {
        let (color, dash) = if s.class == "average" {
            ("#888", " stroke-dasharray=\"4 3\"")
        } else {
            ("#c62828", "")
        };
        let pts: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(i, v)| format!("{:.1},{:.1}", x_at(i), y_at(*v)))
            .collect();
        let _ = write!(
            out,
            "<polyline class=\"series {c}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash} points=\"{}\"/>",
            pts.join(" "),
            c = esc(s.class)
        );
        for (i, v) in s.values.iter().enumerate().filter(|(_, v)| v.is_finite()) {
            let _ = write!(
                out,
                "<circle class=\"point {c}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{color}\" data-value=\"{v:.3}\"><title>{}: {v:.2}</title></circle>",
                x_at(i),
                y_at(*v),
                esc(&xs.get(i).cloned().unwrap_or_default()),
                c = esc(s.class)
            );
        }
        let ly = T + 4.0 + 14.0 * k as f64;
        let _ = write!(
            out,
            "<line x1=\"{:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            W - R - 120.0,
            W - R - 100.0,
            W - R - 96.0,
            ly + 4.0,
            esc(s.label)
        );
    }
    out.push_str("</svg>");
    out
}

/// Colours of the series of a grouped bar chart (baseline first, grey).
const SERIES: [&str; 6] = [
    "#9e9e9e", "#1f4e79", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a",
];

/// The title, a description for screen readers and printing, and the
/// heading drawn on the chart.
fn open_desc(out: &mut String, title: &str, desc: &str) {
    open(out, title);
    let _ = write!(out, "<desc>{}</desc>", esc(desc));
}

/// A round top for a y axis: the smallest of 1, 2, 2.5, 5 × 10^k at or
/// above `max` (1 when nothing is above 0).
fn nice_top(max: f64) -> f64 {
    if max.is_nan() || max <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|t| *t >= max * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag)
}

/// Legend entries at the chart's top right, one line each.
fn legend(out: &mut String, items: &[(&str, &str)]) {
    for (k, (label, color)) in items.iter().enumerate() {
        let y = T + 2.0 + 14.0 * k as f64;
        // About 100 px: eight characters of Chinese at 12 px.
        let label: String = if label.chars().count() > 8 {
            label.chars().take(7).chain(['…']).collect()
        } else {
            label.to_string()
        };
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            W - R - 120.0,
            y - 8.0,
            W - R - 106.0,
            y + 1.0,
            esc(&label)
        );
    }
}

/// Grouped bars: for each group (a number compared, such as the highest
/// load), one bar per series (the baseline and each scenario), its value
/// written above it. `series` are (label, one value per group).
pub fn grouped_bars(
    title: &str,
    desc: &str,
    y_label: &str,
    groups: &[String],
    series: &[(String, Vec<f64>)],
    decimals: usize,
) -> String {
    let mut out = String::new();
    open_desc(&mut out, title, desc);
    let max = series
        .iter()
        .flat_map(|s| s.1.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let top = nice_top(max * 1.15);
    axes(&mut out, top, y_label, "", if top >= 10.0 { 0 } else { 2 });
    // The legend's column on the right.
    let plot_w = W - L - R - 110.0;
    let plot_h = H - B - T;
    let gw = plot_w / groups.len().max(1) as f64;
    let bw = ((gw - 12.0) / series.len().max(1) as f64).max(2.0);
    for (g, name) in groups.iter().enumerate() {
        let gx = L + gw * g as f64 + 6.0;
        for (k, (label, values)) in series.iter().enumerate() {
            let v = values.get(g).copied().filter(|v| v.is_finite());
            let Some(v) = v else { continue };
            let h = plot_h * v.max(0.0) / top;
            let x = gx + bw * k as f64;
            let _ = write!(
                out,
                "<rect class=\"bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\" data-group=\"{}\" data-series=\"{}\" data-value=\"{v:.3}\"><title>{}, {}: {v:.decimals$}</title></rect>",
                H - B - h,
                (bw - 1.0).max(1.0),
                SERIES[k % SERIES.len()],
                esc(name),
                esc(label),
                esc(name),
                esc(label),
            );
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">{v:.decimals$}</text>",
                x + bw / 2.0,
                H - B - h - 3.0
            );
        }
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{}</text>",
            L + gw * (g as f64 + 0.5),
            H - B + 14.0,
            esc(name)
        );
    }
    let items: Vec<(&str, &str)> = series
        .iter()
        .enumerate()
        .map(|(k, s)| (s.0.as_str(), SERIES[k % SERIES.len()]))
        .collect();
    legend(&mut out, &items);
    out.push_str("</svg>");
    out
}

/// One day of a coverage chart: its label, seats covered, seats open per
/// priority (required, high, normal).
pub struct DaySeats {
    pub label: String,
    pub covered: u32,
    pub open: [u32; 3],
}

/// Coverage per day: a stacked bar per day, seats covered (blue) under
/// the seats left open (red for required duties, orange for high, yellow
/// for normal). `names` are the legend's words: covered, then the three
/// open priorities.
pub fn coverage(
    title: &str,
    desc: &str,
    y_label: &str,
    names: [&str; 4],
    days: &[DaySeats],
) -> String {
    const COLORS: [&str; 4] = ["#1f4e79", "#c62828", "#ef6c00", "#f9a825"];
    const CLASSES: [&str; 4] = ["covered", "open required", "open high", "open normal"];
    let mut out = String::new();
    open_desc(&mut out, title, desc);
    let max = days
        .iter()
        .map(|d| d.covered + d.open.iter().sum::<u32>())
        .max()
        .unwrap_or(0);
    let top = nice_top(f64::from(max) * 1.1).max(4.0).ceil();
    axes(&mut out, top, y_label, "", 0);
    let plot_w = W - L - R - 110.0;
    let plot_h = H - B - T;
    let bw = plot_w / days.len().max(1) as f64;
    for (i, d) in days.iter().enumerate() {
        let x = L + bw * i as f64 + 4.0;
        let mut base = 0.0;
        let parts = [d.covered, d.open[0], d.open[1], d.open[2]];
        for (k, n) in parts.iter().enumerate() {
            if *n == 0 && k > 0 {
                continue;
            }
            let h = plot_h * f64::from(*n) / top;
            let _ = write!(
                out,
                "<rect class=\"{}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\" data-value=\"{n}\" data-day=\"{}\"><title>{} {}: {n}</title></rect>",
                CLASSES[k],
                H - B - base - h,
                (bw - 8.0).max(1.0),
                COLORS[k],
                esc(&d.label),
                esc(&d.label),
                esc(names[k]),
            );
            base += h;
        }
        let open: u32 = d.open.iter().sum();
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\">{}{}</text><text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{}</text>",
            x + (bw - 8.0) / 2.0,
            H - B - base - 3.0,
            d.covered,
            if open > 0 { format!("+{open}") } else { String::new() },
            x + (bw - 8.0) / 2.0,
            H - B + 14.0,
            esc(&d.label)
        );
    }
    let items: Vec<(&str, &str)> = names.iter().copied().zip(COLORS).collect();
    legend(&mut out, &items);
    out.push_str("</svg>");
    out
}
