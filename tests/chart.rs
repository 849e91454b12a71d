//! Server-rendered charts (issue 19 item 4): the SVG read back with an
//! HTML parser; bars and points match the data; text is escaped.

use kehou::outputs::chart::{bins, coverage, grouped_bars, histogram, trend, DaySeats, Series};
use scraper::{Html, Selector};

fn parse(svg: &str) -> Html {
    Html::parse_fragment(svg)
}

fn attr(doc: &Html, sel: &str, a: &str) -> Vec<f64> {
    let s = Selector::parse(sel).unwrap();
    doc.select(&s)
        .map(|e| e.value().attr(a).unwrap().parse::<f64>().unwrap())
        .collect()
}

#[test]
fn bins_hold_every_value_once() {
    let v = [0.5, 0.9, 1.0, 1.0, 1.2, 1.9, 2.0, f64::NAN];
    let b = bins(&v, 3);
    assert_eq!(b.len(), 3);
    assert_eq!(b.iter().map(|b| b.count).sum::<usize>(), 7, "NaN left out");
    assert_eq!(b[0].from, 0.5);
    assert_eq!(b[2].to, 2.0);
    assert_eq!(b.iter().map(|b| b.count).collect::<Vec<_>>(), vec![2, 3, 2]);
    // All equal: one bin; none: no bins.
    assert_eq!(bins(&[1.0, 1.0], 8).len(), 1);
    assert!(bins(&[], 8).is_empty());
}

#[test]
fn the_histogram_has_a_bar_per_bin_as_tall_as_its_count() {
    let b = bins(&[1.0, 1.1, 1.1, 1.2, 1.5, 2.0, 2.0, 2.0], 4);
    let svg = histogram("本周相对负荷的分布 <a&b>", "相对负荷", "人数", &b);
    let doc = parse(&svg);
    let counts = attr(&doc, "rect.bar", "data-count");
    let want: Vec<f64> = b.iter().map(|b| b.count as f64).collect();
    assert_eq!(counts, want);
    let heights = attr(&doc, "rect.bar", "height");
    // Height per person is the same for every bar with people.
    let per: Vec<f64> = heights
        .iter()
        .zip(&counts)
        .filter(|(_, c)| **c > 0.0)
        .map(|(h, c)| h / c)
        .collect();
    assert!(per.iter().all(|p| (p - per[0]).abs() < 0.2), "{per:?}");
    assert!(heights
        .iter()
        .zip(&counts)
        .all(|(h, c)| *c > 0.0 || *h == 0.0));
    // Chinese text, escaped: the title reads back as written.
    let title = Selector::parse("title").unwrap();
    let t: String = doc.select(&title).next().unwrap().text().collect();
    assert_eq!(t, "本周相对负荷的分布 <a&b>");
    assert!(svg.contains("&lt;a&amp;b&gt;") && !svg.contains("<a&b>"));
    assert!(!svg.contains("<script"));
}

#[test]
fn the_trend_has_a_point_per_week_higher_for_more_load() {
    let xs: Vec<String> = ["09-07", "09-14", "09-21", "09-28"]
        .map(String::from)
        .to_vec();
    let mine = [3.0, 5.0, 4.0, 6.0];
    let avg = [4.0, 4.0, 4.5, 4.5];
    let svg = trend(
        "本学期每周负荷",
        "周",
        "加权小时",
        &xs,
        &[
            Series {
                label: "王静",
                values: &mine,
                class: "person",
            },
            Series {
                label: "平均",
                values: &avg,
                class: "average",
            },
        ],
    );
    let doc = parse(&svg);
    assert_eq!(
        attr(&doc, "circle.point.person", "data-value"),
        mine.to_vec()
    );
    assert_eq!(
        attr(&doc, "circle.point.average", "data-value"),
        avg.to_vec()
    );
    let cy = attr(&doc, "circle.point.person", "cy");
    let cx = attr(&doc, "circle.point.person", "cx");
    assert!(cx.windows(2).all(|w| w[0] < w[1]), "weeks left to right");
    // SVG's y grows downward: more load, a higher point.
    assert!(cy[1] < cy[0] && cy[3] < cy[1] && cy[2] > cy[1]);
    let line = Selector::parse("polyline.person").unwrap();
    let pts = doc
        .select(&line)
        .next()
        .unwrap()
        .value()
        .attr("points")
        .unwrap();
    assert_eq!(pts.split(' ').count(), 4);
    let text = Selector::parse("text").unwrap();
    let words: Vec<String> = doc.select(&text).map(|t| t.text().collect()).collect();
    for w in ["王静", "平均", "09-21", "加权小时"] {
        assert!(words.iter().any(|x| x == w), "{w}: {words:?}");
    }
}

/// Every text of a chart at 12 px or more (the root's size, or its own).
fn readable(svg: &str) {
    assert!(svg.contains("font-size=\"12\""));
    for part in svg.split("font-size=\"").skip(1) {
        let px: f64 = part[..part.find('"').unwrap()].parse().unwrap();
        assert!(px >= 12.0, "text at {px} px");
    }
    assert!(!svg.contains("<script"));
}

fn text_of(doc: &Html, sel: &str) -> String {
    let s = Selector::parse(sel).unwrap();
    doc.select(&s).next().unwrap().text().collect()
}

#[test]
fn grouped_bars_have_a_bar_per_group_and_series_as_tall_as_its_value() {
    let groups: Vec<String> = ["最高", "最低", "差"].map(String::from).to_vec();
    let series = vec![
        ("基线".to_string(), vec![5.8, 4.6, 1.2]),
        ("新进三名教师".to_string(), vec![5.0, 4.5, 0.5]),
    ];
    let svg = grouped_bars(
        "相对负荷: 基线与方案",
        "两组柱",
        "相对负荷",
        &groups,
        &series,
        2,
    );
    let doc = parse(&svg);
    assert_eq!(text_of(&doc, "title"), "相对负荷: 基线与方案");
    assert_eq!(text_of(&doc, "desc"), "两组柱");
    let values = attr(&doc, "rect.bar", "data-value");
    assert_eq!(values, vec![5.8, 5.0, 4.6, 4.5, 1.2, 0.5], "group by group");
    let s = Selector::parse("rect.bar").unwrap();
    let who: Vec<&str> = doc
        .select(&s)
        .map(|e| e.value().attr("data-series").unwrap())
        .collect();
    assert_eq!(
        who,
        [
            "基线",
            "新进三名教师",
            "基线",
            "新进三名教师",
            "基线",
            "新进三名教师"
        ]
    );
    // Heights proportional to the values; x from left to right.
    let h = attr(&doc, "rect.bar", "height");
    let per: Vec<f64> = h.iter().zip(&values).map(|(h, v)| h / v).collect();
    assert!(per.iter().all(|p| (p - per[0]).abs() < 0.2), "{per:?}");
    let x = attr(&doc, "rect.bar", "x");
    assert!(x.windows(2).all(|w| w[0] < w[1]));
    // The values are written on the chart; the groups below it.
    let t = Selector::parse("text").unwrap();
    let words: Vec<String> = doc.select(&t).map(|t| t.text().collect()).collect();
    for w in ["5.80", "0.50", "最低", "基线", "新进三名教师"] {
        assert!(words.iter().any(|x| x == w), "{w}: {words:?}");
    }
    readable(&svg);
}

#[test]
fn coverage_stacks_covered_under_open_seats_per_day() {
    let days = vec![
        DaySeats {
            label: "12-07 周一".into(),
            covered: 30,
            open: [0, 0, 0],
        },
        DaySeats {
            label: "12-08 周二".into(),
            covered: 28,
            open: [1, 0, 2],
        },
        DaySeats {
            label: "12-10 周四".into(),
            covered: 8,
            open: [0, 0, 0],
        },
    ];
    let svg = coverage(
        "本周每日覆盖",
        "蓝色为已安排",
        "人次",
        ["已安排", "未覆盖: 必保", "未覆盖: 重要", "未覆盖: 一般"],
        &days,
    );
    let doc = parse(&svg);
    assert_eq!(text_of(&doc, "title"), "本周每日覆盖");
    assert_eq!(text_of(&doc, "desc"), "蓝色为已安排");
    assert_eq!(
        attr(&doc, "rect.covered", "data-value"),
        vec![30.0, 28.0, 8.0]
    );
    assert_eq!(attr(&doc, "rect.open.required", "data-value"), vec![1.0]);
    assert_eq!(attr(&doc, "rect.open.normal", "data-value"), vec![2.0]);
    assert!(
        attr(&doc, "rect.open.high", "data-value").is_empty(),
        "no empty segments"
    );
    // Taller for more seats; the open part sits on top of the covered.
    let h = attr(&doc, "rect.covered", "height");
    assert!(h[0] > h[1] && h[1] > h[2]);
    let covered_y = attr(&doc, "rect.covered", "y")[1];
    let open_y = attr(&doc, "rect.open.required", "y")[0];
    let open_h = attr(&doc, "rect.open.required", "height")[0];
    assert!((open_y + open_h - covered_y).abs() < 0.2, "stacked");
    let t = Selector::parse("text").unwrap();
    let words: Vec<String> = doc.select(&t).map(|t| t.text().collect()).collect();
    for w in ["12-08 周二", "28+3", "30", "未覆盖: 必保"] {
        assert!(words.iter().any(|x| x == w), "{w}: {words:?}");
    }
    readable(&svg);
}
