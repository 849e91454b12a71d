//! Calendar subscriptions: `GET /cal/{token}.ics` serves one person's feed
//! without a login (a phone's calendar subscribes without cookies); the
//! token (32 random bytes) is the key. The feed covers the published weeks
//! from the start of the current term (or eight weeks back outside a term)
//! as served, with each duty's SEQUENCE and DTSTAMP from the record's
//! history of it (`ledger::history`), and the duties a person no longer
//! holds marked cancelled so that phones drop them. On their duties page a
//! teacher sees their own URL and can make a new one (the old stops
//! working); the administrator can for anyone.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{Days, NaiveDate};
use maud::{html, Markup};

use crate::ledger::history::{occurrences, Held, Occurrence};
use crate::outputs::ics::FeedEvent;
use crate::record::accounts::Role;
use crate::record::subscriptions::CalendarToken;
use crate::record::Actor;
use crate::{demand, outputs};

use super::me;
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, Fail};
use crate::web::{auth, settings, Settings, Shared};

/// The first Monday a feed covers: the current term's start, else eight
/// weeks before today.
fn first_week(st: &Shared, today: NaiveDate) -> NaiveDate {
    let start = st
        .now()
        .policy
        .calendar
        .terms
        .iter()
        .find(|t| t.start <= today && today <= t.end)
        .map_or(today - Days::new(56), |t| t.start);
    crate::calendar::monday_of(start)
}

/// The same page for an unknown, malformed or revoked token.
fn no_feed() -> Response {
    (StatusCode::NOT_FOUND, "no such calendar\n").into_response()
}

/// `GET /cal/{token}.ics`: the feed of the token's owner.
pub(crate) async fn feed(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(file): Path<String>,
) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return no_feed();
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return no_feed();
    }
    let token = token.to_string();
    let from = first_week(&st, chrono::Local::now().date_naive());
    let st2 = st.clone();
    let lang = cx.lang;
    let body = st
        .db(move |rec| {
            rec.read(|tx| {
                let Some(staff_id) = tx.calendar_owner(&token)? else {
                    return Ok(None);
                };
                let mut weeks: Vec<NaiveDate> = tx
                    .all_versions()?
                    .into_iter()
                    .map(|v| v.week)
                    .filter(|w| *w >= from)
                    .collect();
                weeks.dedup();
                let mut data = Vec::new();
                for w in weeks {
                    let dm = demand::week(&st2.now().policy, &st2.now().school, w);
                    let occ: Vec<Occurrence> = occurrences(&dm.duties, &tx.week_history(w)?);
                    data.push((dm.duties, occ));
                }
                let events: Vec<FeedEvent> = data
                    .iter()
                    .flat_map(|(duties, occ)| {
                        occ.iter()
                            .filter(|x| x.staff_id == staff_id)
                            .filter_map(|x| {
                                Some(FeedEvent {
                                    duty: duties.get(x.duty)?,
                                    sequence: x.sequence,
                                    stamp: &x.stamp,
                                    cancelled: x.held != Held::Holds,
                                })
                            })
                    })
                    .collect();
                let name = st2
                    .now()
                    .school
                    .staff_index(&staff_id)
                    .map_or(staff_id.clone(), |i| {
                        st2.now().school.shown_name(i).into_owned()
                    });
                Ok(Some(outputs::ics::feed(
                    &st2.now().policy,
                    &staff_id,
                    &name,
                    &events,
                    lang,
                )))
            })
        })
        .await;
    match body {
        Ok(Some(ics)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "inline; filename=\"kehou.ics\"",
                ),
            ],
            ics,
        )
            .into_response(),
        Ok(None) => no_feed(),
        Err(e) => Fail::from_error(lang, &e).into_response(),
    }
}

/// The addresses a phone subscribes to: under the public URL (`kehou
/// serve --public-url`), the `webcal://` one first (the scheme phones
/// open in their calendar) and the URL itself; the path alone when none
/// is set (the bool: it is set). Never from the request's `Host`, which
/// anyone can forge.
fn addresses(s: &Settings, token: &str) -> (Vec<String>, bool) {
    let (link, public) = settings::public_link(s, &format!("/cal/{token}.ics"));
    if !public {
        return (vec![link], false);
    }
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"))
        .unwrap_or(&link);
    (vec![format!("webcal://{rest}"), link.clone()], true)
}

/// The person's live token, for the duties page (their own, or the
/// administrator's view).
pub(crate) async fn token_of(st: &Shared, staff_id: &str) -> crate::Result<Option<CalendarToken>> {
    let id = staff_id.to_string();
    st.db(move |rec| rec.read(|tx| tx.calendar_token(&id)))
        .await
}

/// The subscription box of the duties page: the URLs, and the form to
/// make a new one.
pub(crate) fn subscription_box(
    cx: &Cx,
    settings: &Settings,
    staff_id: &str,
    token: Option<&CalendarToken>,
) -> Markup {
    let lang = cx.lang;
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    html! {
        div.box.noprint {
            h3 { (lang.t("日历订阅", "Calendar subscription")) }
            @match token {
                Some(t) => {
                    @let (urls, public) = addresses(settings, &t.token);
                    p.t { (lang.t("在手机日历中订阅这个地址, 任务有变时日历会自动更新 (被调走或取消的任务会消失). 不要转给别人: 有这个地址就能看到你的任务.", "Subscribe to this address in your phone's calendar; it updates when your duties change (duties moved away or cancelled disappear). Do not pass it on: anyone with it can see your duties.")) }
                    @for u in &urls { p { code.url { (u) } } }
                    @if !public { (settings::no_public_url(lang)) }
                    p.t { (lang.t("创建于 ", "Made ")) (t.created_at.get(..16).unwrap_or(&t.created_at).replace('T', " ")) " (" (t.who) ")" }
                }
                None => { p { (lang.t("还没有订阅地址.", "No subscription address yet.")) } }
            }
            form method="post" action=(format!("/duties/{staff_id}/calendar")) {
                (csrf_field(csrf))
                button type="submit" {
                    @if token.is_some() { (lang.t("生成新地址 (旧地址随即失效)", "Make a new address (the old one stops working)")) }
                    @else { (lang.t("生成订阅地址", "Make a subscription address")) }
                }
            }
        }
    }
}

/// `POST /duties/{staff}/calendar`: a new token for the person; their old
/// one stops working. A teacher for themselves, the administrator for anyone.
pub(crate) async fn renew(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(staff_id): Path<String>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let own = me.user.staff_id.as_deref() == Some(staff_id.as_str());
    if !(own || me.user.role == Role::Admin) {
        return Err(Fail::forbidden(lang, me.user.role));
    }
    if st.now().school.staff_index(&staff_id).is_none() {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            format!(
                "{} {staff_id}",
                lang.t("没有这个工号:", "no such staff id:")
            ),
        ));
    }
    let token = auth::token().map_err(|e| Fail::from_error(lang, &e))?;
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /calendar".into(),
    };
    let id = staff_id.clone();
    st.db(move |rec| rec.write(|tx| tx.new_calendar_token(&id, &token, &by)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to(&format!("/duties/{staff_id}?calendar=new")).into_response())
}
