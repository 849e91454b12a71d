//! Club seats (issue 20, item 1): for the office, each club's fill (the
//! first choices of the applications still open or approved, against the
//! seats of clubs.csv's 人数); for a club over capacity a draw, first
//! come or a lottery from a seed the administrator types, by the
//! library's `enrol::allocate` over every open application (so a child's
//! first choice is never lost to another's second, and no child takes two
//! clubs that meet at once). The draw is recorded with its seed: the same
//! seed and applications draw the same result again.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use maud::{html, Markup};

use crate::enrol::{allocate, ClubAsk, Draw, State as AppState};
use crate::lang::Lang;
use crate::model::school::School;
use crate::record::applications::PupilApplication;
use crate::record::family::ClubDraw;
use crate::record::Actor;

use super::me;
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::Shared;

/// An application that still asks for a seat.
fn open(a: &PupilApplication) -> bool {
    matches!(
        a.application.state,
        AppState::Applied
            | AppState::Reviewed
            | AppState::Approved { .. }
            | AppState::Withdrawing { .. }
    )
}

/// Every open application's ask, by application number.
fn asks(all: &[PupilApplication]) -> Vec<ClubAsk> {
    all.iter()
        .filter(|a| open(a) && !a.application.choice.clubs.is_empty())
        .map(|a| ClubAsk {
            application: a.application.id,
            applied_at: a.application.applied_at.clone(),
            clubs: a.application.choice.clubs.clone(),
        })
        .collect()
}

/// Clubs.csv's seats (人数) per club.
fn seats(s: &School) -> BTreeMap<String, u32> {
    s.clubs.iter().map(|c| (c.id.clone(), c.pupils)).collect()
}

/// Whether two clubs meet at the same time: the same session on a weekday of both.
fn clash(s: &School, a: &str, b: &str) -> bool {
    let find = |id: &str| s.clubs.iter().find(|c| c.id == id);
    match (find(a), find(b)) {
        (Some(x), Some(y)) => {
            x.id != y.id
                && x.session == y.session
                && x.weekdays.iter().any(|w| y.weekdays.contains(w))
        }
        _ => false,
    }
}

/// The draw of one club: who has a seat and who waits, in order.
pub(crate) fn draw_club(
    s: &School,
    all: &[PupilApplication],
    club: &str,
    draw: Draw,
) -> (Vec<i64>, Vec<i64>) {
    let out = allocate(&asks(all), &seats(s), draw, |a, b| clash(s, a, b));
    (
        out.admitted.get(club).cloned().unwrap_or_default(),
        out.waiting.get(club).cloned().unwrap_or_default(),
    )
}

fn names(ids: &[i64], all: &[PupilApplication]) -> Markup {
    html! {
        ol { @for id in ids {
            li { "#" (id) " " @if let Some(a) = all.iter().find(|a| a.application.id == *id) { (a.pupil.name) " (" (a.pupil.class_id) ")" } }
        } }
    }
}

fn draw_form(lang: Lang, csrf: &str, club: &str) -> Markup {
    html! {
        form.inline method="post" action="/applications/clubs" {
            (csrf_field(csrf))
            input type="hidden" name="club" value=(club);
            select name="method" {
                option value="lottery" { (lang.t("抽签", "lottery")) }
                option value="first" { (lang.t("先到先得", "first come")) }
            }
            label { (lang.t(" 种子 ", " seed ")) input name="seed" inputmode="numeric" maxlength="20" size="10"; }
            button type="submit" { (lang.t("分配名额", "Allocate")) }
        }
    }
}

fn last_draw(lang: Lang, d: &ClubDraw, all: &[PupilApplication]) -> Markup {
    html! {
        div.draw id=(format!("draw-{}", d.club_id)) {
            p { (lang.t("已分配: ", "Drawn: ")) (d.drawn_at) " · " (d.who) " · "
                @match d.seed { Some(seed) => { (lang.t("抽签, 种子 ", "lottery, seed ")) span.seed { (seed) } } None => { (lang.t("先到先得", "first come")) } } }
            p { (lang.t("录取", "Admitted")) } (names(&d.admitted, all))
            p { (lang.t("候补 (按顺序)", "Waiting, in order")) } (names(&d.waiting, all))
        }
    }
}

/// `GET /applications/clubs`: each club's fill, the draw forms, the last draws.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /applications/clubs".into(),
    };
    let (all, draws) = st
        .db(move |rec| {
            rec.write(|tx| {
                let all = tx.applications_of_class(None)?;
                let draws = tx.club_draws()?;
                // The names the last draws show are logged as reads.
                let mut shown: Vec<i64> = Vec::new();
                for d in &draws {
                    for id in d.admitted.iter().chain(&d.waiting) {
                        if let Some(a) = all.iter().find(|a| a.application.id == *id) {
                            shown.push(a.pupil.id);
                        }
                    }
                }
                shown.sort_unstable();
                shown.dedup();
                tx.log_reads(&by, &shown, "/applications/clubs")?;
                Ok((all, draws))
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let now = st.now();
    let s = &now.school;
    let asks = asks(&all);
    let body = html! {
        table.clubs {
            tr { th { (lang.t("社团", "club")) } th { (lang.t("名额", "seats")) } th { (lang.t("第一志愿", "first choices")) } th { (lang.t("全部志愿", "any choice")) } th {} }
            @for c in &s.clubs {
                @let first = asks.iter().filter(|a| a.clubs.first() == Some(&c.id)).count();
                @let any = asks.iter().filter(|a| a.clubs.contains(&c.id)).count();
                tr id=(format!("club-{}", c.id)) {
                    td { (c.name) } td.num { (c.pupils) }
                    td.num id=(format!("fill-{}", c.id)) { (first) } td.num { (any) }
                    td { @if any as u64 > u64::from(c.pupils) { span.open { (lang.t("超出名额 ", "over capacity ")) } (draw_form(lang, &me.csrf, &c.id)) } }
                }
            }
        }
        @for c in &s.clubs {
            @if let Some(d) = draws.iter().find(|d| d.club_id == c.id) {
                h2 { (c.name) } (last_draw(lang, d, &all))
            }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("社团名额分配", "Club seats"),
        Some(&me),
        body,
    )))
}

/// The draw a form asks for, each field named when it is wrong.
fn form_draw(cx: &Cx, s: &School) -> Result<(String, Draw), Fail> {
    let lang = cx.lang;
    let club = cx.field("club");
    if !s.clubs.iter().any(|c| c.id == club) {
        return Err(Fail::field(
            lang,
            lang.t("社团", "club"),
            lang.t("没有这个社团", "there is no such club"),
        ));
    }
    let draw = match cx.field("method") {
        "first" => Draw::FirstCome,
        "lottery" => match cx.field("seed").parse::<u64>() {
            Ok(seed) => Draw::Lottery { seed },
            Err(_) => {
                return Err(Fail::field(
                    lang,
                    lang.t("种子", "seed"),
                    lang.t(
                        "抽签需要一个种子: 0 至 18446744073709551615 的整数, 记下来, 以后可重新抽出同样的结果",
                        "a lottery needs a seed: a whole number from 0 to 18446744073709551615; write it down to draw the same result again",
                    ),
                ))
            }
        },
        _ => {
            return Err(Fail::field(
                lang,
                lang.t("方式", "method"),
                lang.t("应为 lottery 或 first", "expected lottery or first"),
            ))
        }
    };
    Ok((club.to_string(), draw))
}

/// `POST /applications/clubs`: draw one club's seats and record the draw.
pub(crate) async fn draw(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let now = st.now();
    let (club, draw) = form_draw(&cx, &now.school)?;
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /applications/clubs".into(),
    };
    st.db(move |rec| {
        rec.write(|tx| {
            let all = tx.applications_of_class(None)?;
            let (admitted, waiting) = draw_club(&now.school, &all, &club, draw);
            let seed = match draw {
                Draw::Lottery { seed } => Some(seed),
                Draw::FirstCome => None,
            };
            tx.record_draw(&club, seed, &admitted, &waiting, &by)
        })
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to("/applications/clubs").into_response())
}
