//! The app in a real browser: Debian's chromium driven through its
//! chromedriver (fantoccini, nothing downloaded), against the app served
//! on a free 127.0.0.1 port from a workspace of the shipped large school
//! (48 classes). One flow, as the vice-principal and a teacher use it:
//! first login and the password change, planning the week in the
//! background, a hand edit that breaks a rule (refused, naming the rule),
//! publishing, a teacher's duties at phone size (nothing wider than the
//! screen, no tiny text), and printing the week to PDF on A4 landscape
//! (at most two pages). Screenshots and PDFs go to target/screenshots/
//! (or $KEHOU_SCREENSHOTS). `KEHOU_SKIP_BROWSER=1` skips it.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::{PrintConfiguration, PrintMargins, PrintOrientation, PrintSize};
use fantoccini::{Client, ClientBuilder, Locator};
use kehou::web::{App, Workspace};

const WEEK: &str = "2026-12-07";
const NEW_PASSWORD: &str = "a new password for the browser";

/// A child process killed when dropped (chromedriver; it ends its chromium).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_listening(port: u16, within: Duration) {
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(t.elapsed() < within, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A workspace holding the shipped policy and the large school's files.
fn large_workspace(dir: &Path) -> Workspace {
    let r = root();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::create_dir_all(dir.join("calendar")).unwrap();
    std::fs::copy(r.join("policies/demo.toml"), dir.join("policy.toml")).unwrap();
    std::fs::copy(
        r.join("policies/calendar/cn-2026.toml"),
        dir.join("calendar/cn-2026.toml"),
    )
    .unwrap();
    for f in std::fs::read_dir(r.join("datasets/large")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.join("data").join(f.file_name().unwrap())).unwrap();
    }
    Workspace::open(dir).unwrap()
}

fn shots() -> PathBuf {
    let d = std::env::var_os("KEHOU_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/screenshots"));
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
}

/// Pages of a PDF: its page objects (`/Type /Page`, not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + 11..].starts_with('s'))
        .count()
}

async fn print_pdf(c: &Client, name: &str, landscape: bool) -> usize {
    let cfg = PrintConfiguration::builder()
        .orientation(if landscape {
            PrintOrientation::Landscape
        } else {
            PrintOrientation::Portrait
        })
        .size(PrintSize::A4)
        .margins(PrintMargins {
            top: 0.7,
            bottom: 0.7,
            left: 0.7,
            right: 0.7,
        })
        .shrink_to_fit(false)
        .build()
        .unwrap();
    let pdf = c.print(cfg).await.expect("print to PDF");
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    std::fs::write(shots().join(format!("{name}.pdf")), &pdf).unwrap();
    pdf_pages(&pdf)
}

async fn fill(c: &Client, css: &str, text: &str) {
    let e = c.find(Locator::Css(css)).await.expect(css);
    e.clear().await.ok();
    e.send_keys(text).await.expect(css);
}

/// The page's text. The week page reloads itself while a plan runs, so
/// the body found may be gone before its text is read: then read again.
async fn body(c: &Client) -> String {
    let mut last = None;
    for _ in 0..20 {
        let text = match c.find(Locator::Css("body")).await {
            Ok(e) => e.text().await,
            Err(e) => Err(e),
        };
        match text {
            Ok(t) => return t,
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the page's text could not be read: {last:?}")
}

/// Wait (at most 10 s) until the browser is on a page under `prefix`: a
/// click's navigation may not have finished when the click returns.
async fn wait_path(c: &Client, prefix: &str) {
    for _ in 0..50 {
        if c.current_url().await.unwrap().path().starts_with(prefix) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("not on {prefix}: {}", c.current_url().await.unwrap());
}

async fn click(c: &Client, css: &str) {
    // The page may still be loading after the last click (seen in CI on
    // a loaded machine): wait for the element rather than fail at once.
    let mut found = c.find(Locator::Css(css)).await;
    for _ in 0..50 {
        if found.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        found = c.find(Locator::Css(css)).await;
    }
    found.expect(css).click().await.expect(css);
}

#[test]
fn the_week_in_a_real_browser() {
    if std::env::var_os("KEHOU_SKIP_BROWSER").is_some_and(|v| v == "1") {
        println!("KEHOU_SKIP_BROWSER=1: the browser test is skipped");
        return;
    }
    for bin in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
        assert!(
            Path::new(bin).exists(),
            "{bin} is missing: apt-get install chromium chromium-driver fonts-noto-cjk (make deps does), or set KEHOU_SKIP_BROWSER=1"
        );
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(600), flow())
            .await
            .expect("the browser flow ends within 10 minutes");
    });
}

async fn flow() {
    let dir = tempfile::tempdir().unwrap();
    let ws = large_workspace(&dir.path().join("large"));
    let app = App::new(&ws).expect("app");
    let first = app.first_password.clone().expect("a one-time password");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app
        .router()
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, router).await });

    let port = free_port();
    let _driver = Killed(
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    wait_listening(port, Duration::from_secs(20));
    let profile = dir.path().join("chromium-profile");
    let args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "binary": "/usr/bin/chromium", "args": args }),
    );
    // Two crypto providers are compiled in (ring for ureq, aws-lc for
    // fantoccini's default): rustls needs to be told which one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let c = ClientBuilder::rustls()
        .expect("rustls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a chromium session");
    steps(&c, &base, &first).await;
    c.close().await.ok();
}

async fn steps(c: &Client, base: &str, first: &str) {
    // First start: the one-time password, then a new one.
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "input[name=login]", "admin").await;
    fill(c, "input[name=password]", first).await;
    shot(c, "01-login").await;
    click(c, "form button[type=submit]").await;
    wait_path(c, "/password").await;
    fill(c, "input[name=current]", first).await;
    fill(c, "input[name=new]", NEW_PASSWORD).await;
    fill(c, "input[name=confirm]", NEW_PASSWORD).await;
    click(c, "main form button[type=submit]").await;
    // The change must land before the next page is asked for, or that
    // page leads back to the password form (seen in CI): wait for the
    // page that says it was changed.
    for _ in 0..50 {
        if body(c).await.contains("密码已修改") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Plan the week in the background and wait for the draft.
    let week = format!("{base}/week/{WEEK}");
    c.goto(&week).await.unwrap();
    click(c, &format!("form[action='/week/{WEEK}/plan'] button")).await;
    let t = Instant::now();
    loop {
        let text = body(c).await;
        if text.contains("查看草稿排班") {
            break;
        }
        assert!(!text.contains("排班未完成"), "{text}");
        assert!(t.elapsed() < Duration::from_secs(300), "planning too slow");
        tokio::time::sleep(Duration::from_secs(2)).await;
        c.goto(&week).await.unwrap();
    }
    shot(c, "02-draft").await;

    refused_edit(c, base).await;

    // Publish the draft.
    c.goto(&week).await.unwrap();
    click(c, &format!("form[action='/week/{WEEK}/publish'] button")).await;
    assert!(body(c).await.contains("已发布 v1"));
    shot(c, "04-published").await;

    phone(c, base).await;
    print_week(c, base).await;
}

/// A move to someone a rule stops: the browser submits it anyway (the
/// seat page offers no button for them), and the app refuses it with the
/// rule's name.
async fn refused_edit(c: &Client, base: &str) {
    c.goto(&format!("{base}/week/{WEEK}?view=draft"))
        .await
        .unwrap();
    let seat = c
        .find(Locator::Css("table.grid a[href*='/seat?duty=']"))
        .await
        .expect("a seat link");
    seat.click().await.unwrap();
    let blocked = c
        .find(Locator::Css("tr.blocked"))
        .await
        .expect("someone a rule stops");
    let cells = blocked.find_all(Locator::Css("td")).await.unwrap();
    let id = cells[1].text().await.unwrap();
    let why = cells[4].text().await.unwrap();
    let rule = why
        .trim_start_matches("不可:")
        .split(':')
        .next()
        .unwrap()
        .trim()
        .to_string();
    assert!(!rule.is_empty(), "{why}");
    c.execute(
        "const f = document.querySelector(\"form[action$='/edit'] input[name=kind][value=move]\").form;\
         f.querySelector('input[name=to]').value = arguments[0]; f.submit();",
        vec![serde_json::json!(id)],
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let text = body(c).await;
    assert!(text.contains("违反规则"), "refused: {text}");
    assert!(text.contains(&rule), "names the rule {rule}: {text}");
    shot(c, "03-refused-edit").await;
}

/// A teacher's duties at phone size: nothing overflows, text is readable.
async fn phone(c: &Client, base: &str) {
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}/duties/T001?week={WEEK}"))
        .await
        .unwrap();
    let fits = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth,\
             Math.min(...[...document.querySelectorAll('main *')].filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())).map(e => parseFloat(getComputedStyle(e).fontSize)))];",
            vec![],
        )
        .await
        .unwrap();
    let v: Vec<f64> = fits
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    shot(c, "05-phone-duties").await;
    assert!(
        v[0] <= v[1],
        "page {} px wide on a {} px screen",
        v[0],
        v[1]
    );
    assert!(v[2] >= 12.0, "smallest text {} px", v[2]);
    c.set_window_size(1280, 900).await.unwrap();
}

/// The week for the wall on at most two A4 landscape pages; the day's
/// duty sheet and handover sheet print too.
async fn print_week(c: &Client, base: &str) {
    c.goto(&format!("{base}/week/{WEEK}/print")).await.unwrap();
    shot(c, "06-print-week").await;
    let small = c
        .execute(
            "return Math.min(...[...document.querySelectorAll('td, th')].map(e => parseFloat(getComputedStyle(e).fontSize)));",
            vec![],
        )
        .await
        .unwrap();
    // 7 pt is 9.33 CSS px.
    assert!(
        small.as_f64().unwrap() >= 8.6,
        "smallest print text {small} px"
    );
    let pages = print_pdf(c, "week-large-a4-landscape", true).await;
    println!("week {WEEK}, large school: {pages} A4 landscape page(s)");
    assert!((1..=2).contains(&pages), "{pages} pages");
    for (path, name) in [
        ("/day/2026-12-08".to_string(), "day-sheet"),
        ("/handover/2026-12-08".to_string(), "handover"),
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        shot(c, name).await;
        let n = print_pdf(c, name, false).await;
        println!("{path}: {n} A4 portrait page(s)");
        assert!(n >= 1);
    }
}
