//! `kehou serve`: start the web app (`crate::web`) on a workspace.

use std::net::SocketAddr;
use std::path::Path;

use crate::app::context::Ctx;
use crate::error::{Error, Result};
use crate::web::{self, Workspace};

pub(crate) fn run(
    cx: &Ctx,
    workspace: Option<&Path>,
    addr: SocketAddr,
    settings: web::Settings,
) -> Result<i32> {
    let ws = match workspace {
        Some(dir) => Workspace::open(dir)?,
        None => {
            let (ws, created) = Workspace::demo(Path::new(web::DEMO_DIR))?;
            if created {
                println!(
                    "{} {}",
                    cx.t("已创建示例学校:", "created the demo school in"),
                    ws.root.display()
                );
            }
            ws
        }
    };
    let app = web::App::with_settings(&ws, settings)?;
    if let Some(pw) = &app.first_password {
        println!(
            "{}\n  {}: admin\n  {}: {pw}",
            cx.t(
                "首次启动: 已创建管理员账号. 一次性密码只显示这一次, 首次登录后须修改.",
                "first start: an administrator account was created. The one-time password is shown only now and must be changed at first login."
            ),
            cx.t("账号", "login"),
            cx.t("一次性密码", "one-time password"),
        );
    }
    println!(
        "{} http://{addr}/  ({} {}; Ctrl-C {})",
        cx.t("kehou 网页已启动:", "kehou web app at"),
        cx.t("工作目录", "workspace"),
        ws.root.display(),
        cx.t("停止", "stops it")
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the web server: {e}")))?;
    rt.block_on(web::serve(app, addr))?;
    Ok(0)
}
