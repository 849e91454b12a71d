#![allow(dead_code)]
//! The browser tests' harness: Debian's chromium driven through its
//! chromedriver (fantoccini, nothing downloaded), against the app served
//! on a free 127.0.0.1 port. Included by each browser test with
//! `#[path = "common/browser.rs"] mod browser;`. Screenshots and PDFs go
//! to target/screenshots/ (or $KEHOU_SCREENSHOTS). `KEHOU_SKIP_BROWSER=1`
//! skips the browser tests.

use std::future::Future;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::{PrintConfiguration, PrintMargins, PrintOrientation, PrintSize};
use fantoccini::{Client, ClientBuilder, Locator};
use kehou::web::{App, Workspace};

/// A child process killed when dropped (chromedriver; it ends its chromium).
pub struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub fn wait_listening(port: u16, within: Duration) {
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(t.elapsed() < within, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A workspace holding the shipped policy and the large school's files.
pub fn large_workspace(dir: &Path) -> Workspace {
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

pub fn shots() -> PathBuf {
    let d = std::env::var_os("KEHOU_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/screenshots"));
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
}

/// Pages of a PDF: its page objects (`/Type /Page`, not `/Pages`).
pub fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + 11..].starts_with('s'))
        .count()
}

pub async fn print_pdf(c: &Client, name: &str, landscape: bool) -> usize {
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

pub async fn fill(c: &Client, css: &str, text: &str) {
    let e = c.find(Locator::Css(css)).await.expect(css);
    e.clear().await.ok();
    e.send_keys(text).await.expect(css);
}

/// The page's text. The week page reloads itself while a plan runs, so
/// the body found may be gone before its text is read: then read again.
pub async fn body(c: &Client) -> String {
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

/// The page's text once it holds `needle` (at most 10 s): a form's
/// submit may still be on its way when the click returns.
pub async fn wait_text(c: &Client, needle: &str) -> String {
    let mut text = String::new();
    for _ in 0..50 {
        text = body(c).await;
        if text.contains(needle) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{needle:?} not on the page: {text}")
}

/// Wait (at most 10 s) until the browser is on a page under `prefix`: a
/// click's navigation may not have finished when the click returns.
pub async fn wait_path(c: &Client, prefix: &str) {
    for _ in 0..50 {
        if c.current_url().await.unwrap().path().starts_with(prefix) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("not on {prefix}: {}", c.current_url().await.unwrap());
}

pub async fn click(c: &Client, css: &str) {
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

/// Whether the browser tests are skipped (`KEHOU_SKIP_BROWSER=1`); else
/// the browser and its driver must be installed.
pub fn skipped() -> bool {
    if std::env::var_os("KEHOU_SKIP_BROWSER").is_some_and(|v| v == "1") {
        println!("KEHOU_SKIP_BROWSER=1: the browser test is skipped");
        return true;
    }
    for bin in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
        assert!(
            Path::new(bin).exists(),
            "{bin} is missing: apt-get install chromium chromium-driver fonts-noto-cjk (make deps does), or set KEHOU_SKIP_BROWSER=1"
        );
    }
    false
}

/// Run a browser flow on a two-thread runtime, within 10 minutes.
pub fn run<F: Future<Output = ()>>(flow: F) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(600), flow)
            .await
            .expect("the browser flow ends within 10 minutes");
    });
}

/// Serve the app on a free 127.0.0.1 port; its base address.
pub async fn serve(app: &App) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app
        .router()
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

/// A headless chromium session (its profile under `dir`) and the driver,
/// which ends the browser when dropped.
pub async fn browser(dir: &Path) -> (Client, Killed) {
    let port = free_port();
    let driver = Killed(
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    wait_listening(port, Duration::from_secs(20));
    let profile = dir.join("chromium-profile");
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
    (c, driver)
}

/// Log in; with `first` (a one-time password) change it to `password`.
pub async fn login(c: &Client, base: &str, login: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "input[name=login]", login).await;
    fill(c, "input[name=password]", password).await;
    click(c, "form button[type=submit]").await;
    for _ in 0..50 {
        if !c.current_url().await.unwrap().path().starts_with("/login") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the login as {login} did not lead on");
}
