//! The school's web app (`kehou serve`): a thin layer over the library,
//! like the command line. Pages are rendered on the server (maud, compiled
//! into the binary), with one small stylesheet and no script, so the app
//! works offline, prints, and fits a phone.
//!
//! - `workspace`: the school's folder (policy, data, record), and the
//!   demo school created on first start;
//! - `auth`: passwords (argon2), sessions, CSRF tokens, the login rate limit;
//! - `guard`: the one table of who may use which route, applied to every
//!   request by one middleware, with the CSRF check of every form;
//! - `jobs`: planning a week in the background;
//! - `studies`: what-if studies run in the background;
//! - `robot`: the group robot's digest after a publication, rate-limited;
//! - `settings`: how the server is reached (a trusted proxy, the public URL);
//! - `layout`: the page frame, error pages, the user's language;
//! - `pages/`: one file per page.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};

use axum::routing::{get, post};
use axum::Router;

use crate::error::{Error, Result};
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::record::Record;

mod auth;
mod guard;
mod jobs;
mod layout;
mod pages;
mod robot;
mod settings;
mod studies;
mod upload;
mod workspace;

pub use settings::Settings;
pub use workspace::{Workspace, DEMO_DIR};

pub use crate::record::accounts::Role;

/// The school's policy and data as last loaded from the workspace.
pub(crate) struct Loaded {
    pub policy: Policy,
    pub school: School,
}

/// Everything a request may need: the school, its record, the planning
/// jobs and the login rate limit.
pub(crate) struct AppState {
    /// Where the school's files are (pages that change them write there).
    pub ws: Workspace,
    /// Replaced whole by `reload`, so a request that took it keeps one
    /// consistent policy and school.
    loaded: RwLock<Arc<Loaded>>,
    record: Mutex<Record>,
    pub jobs: jobs::Jobs,
    pub limiter: auth::Limiter,
    /// The group robot's rate limit and each week's digest outcome.
    pub robots: robot::Robots,
    /// Uploaded tables waiting for their preview's confirm.
    pub uploads: upload::Uploads,
    /// What-if studies run from the browser (issue 19).
    pub studies: studies::Studies,
    /// The parent page's sessions (issue 20, item 1).
    pub families: pages::apply_family::Families,
    /// The survey answers' rate limit per client address (issue 20).
    pub answers: pages::surveys::Limit,
    /// The wrong invitation codes of the last minute, from every client.
    pub wrong_codes: auth::Ceiling,
    /// How the server is reached (a trusted proxy, the public URL).
    pub settings: Settings,
    /// A fixed local time for the duty pages (tests and scripts; None:
    /// the machine's clock).
    clock: Mutex<Option<chrono::NaiveDateTime>>,
}

pub(crate) type Shared = Arc<AppState>;

impl AppState {
    /// The policy and school as loaded now.
    pub fn now(&self) -> Arc<Loaded> {
        match self.loaded.read() {
            Ok(l) => l.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The school's local time now, as the duty pages record it.
    pub fn clock(&self) -> chrono::NaiveDateTime {
        let fixed = match self.clock.lock() {
            Ok(c) => *c,
            Err(poisoned) => *poisoned.into_inner(),
        };
        fixed.unwrap_or_else(|| chrono::Local::now().naive_local())
    }

    /// Load the workspace's policy and data again (after a page saved
    /// them); on an error the school as it was stays in use.
    pub fn reload(&self) -> Result<()> {
        let (policy, school) = self.ws.load()?;
        let fresh = Arc::new(Loaded { policy, school });
        match self.loaded.write() {
            Ok(mut l) => *l = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }

    /// Run `f` on the record, off the async threads (SQLite blocks).
    pub async fn db<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Record) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let st = self.clone();
        blocking(move || st.with_record(f)).await
    }

    /// Run `f` on the record on this thread (for blocking jobs).
    pub fn with_record<T>(&self, f: impl FnOnce(&mut Record) -> Result<T>) -> Result<T> {
        let mut rec = self
            .record
            .lock()
            .map_err(|_| Error::Usage("the record's lock was poisoned".into()))?;
        f(&mut rec)
    }
}

/// Run blocking work (SQLite, argon2, the planner) on tokio's blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Usage(format!("a background task failed: {e}")))?
}

/// The web app of one school: its router, and the one-time password of
/// the administrator account when this start created it.
pub struct App {
    state: Shared,
    pub first_password: Option<String>,
}

impl App {
    /// Load the workspace's policy and data, open its record and make sure
    /// an administrator exists; the default settings (no proxy trusted, no
    /// public URL).
    pub fn new(ws: &Workspace) -> Result<App> {
        App::with_settings(ws, Settings::default())
    }

    /// As [`App::new`], with the server's settings.
    pub fn with_settings(ws: &Workspace, settings: Settings) -> Result<App> {
        let (policy, school) = ws.load()?;
        let mut record = Record::open(&ws.record)?;
        let first_password = auth::first_admin(&mut record)?;
        let state = Arc::new(AppState {
            ws: ws.clone(),
            loaded: RwLock::new(Arc::new(Loaded { policy, school })),
            record: Mutex::new(record),
            jobs: jobs::Jobs::default(),
            limiter: auth::Limiter::default(),
            robots: robot::Robots::default(),
            uploads: upload::Uploads::default(),
            studies: studies::Studies::default(),
            families: pages::apply_family::Families::default(),
            answers: pages::surveys::Limit::default(),
            wrong_codes: auth::Ceiling::default(),
            settings,
            clock: Mutex::new(None),
        });
        Ok(App {
            state,
            first_password,
        })
    }

    /// Add an account with a password chosen here (for scripts and tests;
    /// the app's own page gives one-time passwords).
    pub fn add_account(
        &self,
        login: &str,
        role: Role,
        staff_id: Option<&str>,
        password: &str,
    ) -> Result<()> {
        auth::add_account(&self.state, login, role, staff_id, password)
    }

    /// Fix the local time the duty pages record (`None`: the machine's
    /// clock again), for tests and demonstrations of a duty's day.
    pub fn set_clock(&self, at: Option<chrono::NaiveDateTime>) {
        match self.state.clock.lock() {
            Ok(mut c) => *c = at,
            Err(poisoned) => *poisoned.into_inner() = at,
        }
    }

    /// Every route, each behind the access table (`guard`).
    pub fn router(&self) -> Router {
        let st = self.state.clone();
        Router::new()
            .route("/", get(pages::home))
            .route("/assets/app.css", get(pages::css))
            .route("/assets/live.js", get(pages::live_js))
            .route("/login", get(pages::login::form).post(pages::login::submit))
            .route("/logout", post(pages::login::logout))
            .route(
                "/password",
                get(pages::password::form).post(pages::password::submit),
            )
            .route("/week/{monday}", get(pages::week::show))
            .route("/week/{monday}/print", get(pages::print::week))
            .route("/day/{date}", get(pages::print::day))
            .route("/handover/{date}", get(pages::print::handover))
            .route("/week/{monday}/plan", post(pages::week::plan))
            .route("/week/{monday}/publish", post(pages::week::publish))
            .route("/week/{monday}/seat", get(pages::edit::seat))
            .route("/week/{monday}/edit", post(pages::edit::submit))
            .route("/week/{monday}/pin", post(pages::edit::pin))
            .route("/week/{monday}/repair", post(pages::repair::submit))
            .route("/week/{monday}/changes", get(pages::changes::show))
            .route("/requests", post(pages::requests::ask))
            .route("/requests/{id}/answer", post(pages::requests::answer))
            .route("/me", get(pages::duties::mine))
            .route("/duties/{staff}", get(pages::duties::show))
            .route("/duties/{staff}/calendar", post(pages::calendar::renew))
            .route("/cal/{file}", get(pages::calendar::feed))
            .route("/workload", get(pages::workload::show))
            .route("/workload.csv", get(pages::workload::csv))
            .route("/workload.xlsx", get(pages::workload::xlsx))
            .route(
                "/admin/users",
                get(pages::users::list).post(pages::users::create),
            )
            .route(
                "/admin/robot",
                get(pages::robot::show).post(pages::robot::submit),
            )
            .merge(admin_routes())
            .merge(school_plan_routes())
            .merge(changes_routes())
            .route_layer(axum::middleware::from_fn_with_state(
                st.clone(),
                guard::guard,
            ))
            .fallback(guard::not_found)
            .layer(axum::middleware::from_fn(guard::headers))
            .with_state(st)
    }
}

/// The policy, the school's data and what-if studies (issue 19).
fn admin_routes() -> Router<Shared> {
    Router::new()
        // The policy in the browser (issue 19, item 2).
        .route("/admin/policy", get(pages::policy::show))
        .route("/admin/policy/check", post(pages::policy::check_text))
        .route("/admin/policy/diff", post(pages::policy::diff))
        .route(
            "/admin/policy/form/{section}",
            get(pages::policy::section_form).post(pages::policy::section_submit),
        )
        .route("/admin/policy/save", post(pages::policy::save))
        .route("/admin/policy/history", get(pages::policy_history::list))
        .route(
            "/admin/policy/history/{id}",
            get(pages::policy_history::show),
        )
        .route(
            "/admin/policy/history/{id}/restore",
            post(pages::policy_history::restore),
        )
        // The school's data (issue 19).
        .route("/data", get(pages::data::index))
        .route("/data/{table}", get(pages::data::show))
        .route("/data/{table}/export.csv", get(pages::data::export))
        .route("/data/{table}/template.xlsx", get(pages::data::template))
        .route("/data/{table}/row", post(pages::data::row))
        .route(
            "/data/{table}/import",
            get(pages::data::import_form).post(pages::data::import_preview),
        )
        .route(
            "/data/{table}/import/confirm",
            post(pages::data::import_confirm),
        )
        // What-if studies (issue 19, item 5).
        .route("/whatif", get(pages::whatif::list))
        .route(
            "/whatif/new",
            get(pages::whatif::new_form).post(pages::whatif::create),
        )
        .route(
            "/whatif/upload",
            get(pages::whatif::upload_form).post(pages::whatif::upload),
        )
        .route("/whatif/{id}", get(pages::whatif::show))
        .route("/whatif/{id}/file", get(pages::whatif::file))
}

/// The school plan's daily workflows (issue 20).
fn school_plan_routes() -> Router<Shared> {
    Router::new()
        // Applications (issue 20, item 1).
        .route(
            "/applications",
            get(pages::apply::list).post(pages::apply::create),
        )
        .route("/applications/new", get(pages::apply::new_form))
        .route("/applications/{id}/step", post(pages::apply::step))
        .route(
            "/applications/offer",
            get(pages::apply_offer::show).post(pages::apply_offer::publish),
        )
        .route("/applications/offer/print", get(pages::apply_offer::print))
        .route(
            "/applications/clubs",
            get(pages::apply_clubs::show).post(pages::apply_clubs::draw),
        )
        .route(
            "/applications/import",
            get(pages::apply_import::form).post(pages::apply_import::upload),
        )
        .route(
            "/applications/import/confirm",
            post(pages::apply_import::confirm),
        )
        .route("/pupils/{id}/code", post(pages::apply_family::issue))
        .route(
            "/family",
            get(pages::apply_family::show).post(pages::apply_family::enter),
        )
        .route("/family/apply", post(pages::apply_family::apply))
        .route("/family/leave", post(pages::apply_family::leave))
        .route("/family/withdraw", post(pages::apply_family::withdraw))
        .route(
            "/applications/{id}/agreement",
            get(pages::apply_offer::agreement).post(pages::apply_offer::record),
        )
        // During each duty (issue 20, item 2).
        .route("/duty", get(pages::duty::today))
        .route("/duty/{date}/{kind}/{group}", get(pages::duty::show))
        .route(
            "/duty/{date}/{kind}/{group}/{action}",
            post(pages::duty::act),
        )
        // Children's data (issue 20, item 6): a family's export and erasure.
        .route("/admin/family/{pupil}", get(pages::family::show))
        .route(
            "/admin/family/{pupil}/export.json",
            get(pages::family::export),
        )
        .route("/admin/family/{pupil}/erase", post(pages::family::erase))
        // Reports (issue 20, item 5).
        .route("/reports", get(pages::reports::show))
        .route("/reports/{report}/export.csv", get(pages::reports::csv))
        .route("/reports/{report}/export.xlsx", get(pages::reports::xlsx))
}

/// Emergency changes, comp time, surveys and the appraisal sheet (issue
/// 20, items 3 and 4).
fn changes_routes() -> Router<Shared> {
    Router::new()
        // Emergency changes, comp time, surveys, appraisal (issue 20, items 3 and 4).
        .route(
            "/admin/emergency",
            get(pages::emergency::show).post(pages::emergency::submit),
        )
        .route("/admin/emergency/preview", post(pages::emergency::preview))
        .route("/comp", get(pages::comp::show))
        .route("/comp/take", post(pages::comp::submit))
        .route(
            "/surveys",
            get(pages::surveys::list).post(pages::surveys::open),
        )
        .route(
            "/s/{token}",
            get(pages::surveys::form).post(pages::surveys::answer),
        )
        .route("/appraisal", get(pages::appraisal::show))
        .route("/appraisal.xlsx", get(pages::appraisal::xlsx))
}

/// Serve the app on `addr` until the process is stopped (Ctrl-C).
pub async fn serve(app: App, addr: SocketAddr) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        Error::Mistake(crate::error::Said::new(
            format!("无法在 {addr} 上监听 (端口已被占用或没有权限? 可用 --addr 换一个): {e}"),
            format!(
                "cannot listen on {addr} (port in use or not allowed? try another --addr): {e}"
            ),
        ))
    })?;
    let router = app
        .router()
        .into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Error::Usage(format!("the web server stopped: {e}")))
}

/// The access table, for tests and docs: method, route and who may use it.
pub fn access_table() -> Vec<(&'static str, &'static str, Option<Vec<Role>>)> {
    guard::ACCESS
        .iter()
        .map(|a| (a.method, a.path, a.roles.map(<[Role]>::to_vec)))
        .collect()
}
