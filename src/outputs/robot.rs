//! A group robot's message: the JSON body WeCom (企业微信) and DingTalk (钉钉)
//! robots accept for a markdown message, and DingTalk's signed URL (the
//! robot's optional 加签 secret: HMAC-SHA256 of `timestamp\nsecret`). Sending
//! it is the web layer's (an edge, with a timeout and a rate limit).

use base64::Engine;
use serde::{Deserialize, Serialize};

/// Which robot a webhook URL is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`
    Wecom,
    /// `https://oapi.dingtalk.com/robot/send?access_token=…`
    Dingtalk,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "wecom" => Some(Kind::Wecom),
            "dingtalk" => Some(Kind::Dingtalk),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Wecom => "wecom",
            Kind::Dingtalk => "dingtalk",
        }
    }

    /// The kind a URL's host says, if it is one of the two services.
    pub fn of_url(url: &str) -> Option<Kind> {
        let host = url.split("://").nth(1)?.split(['/', '?']).next()?;
        match host {
            "qyapi.weixin.qq.com" => Some(Kind::Wecom),
            "oapi.dingtalk.com" => Some(Kind::Dingtalk),
            _ => None,
        }
    }
}

/// A configured robot: where to post, which format, DingTalk's secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Robot {
    pub kind: Kind,
    pub url: String,
    #[serde(default)]
    pub secret: String,
}

/// WeCom limits a markdown message to 4096 bytes; DingTalk's limit is
/// larger. Longer text is cut at a character boundary.
const MAX_BYTES: usize = 4000;

fn cut(text: &str) -> &str {
    if text.len() <= MAX_BYTES {
        return text;
    }
    let mut end = MAX_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The message body for this robot.
pub fn body(kind: Kind, title: &str, text: &str) -> String {
    let text = cut(text);
    let v = match kind {
        Kind::Wecom => serde_json::json!({
            "msgtype": "markdown",
            "markdown": { "content": text },
        }),
        Kind::Dingtalk => serde_json::json!({
            "msgtype": "markdown",
            "markdown": { "title": title, "text": text },
        }),
    };
    v.to_string()
}

/// The URL to post to: DingTalk with a secret adds `timestamp` (ms) and
/// `sign` = base64(HMAC-SHA256(secret, "timestamp\nsecret")), URL-encoded.
pub fn signed_url(r: &Robot, timestamp_ms: i64) -> String {
    if r.kind != Kind::Dingtalk || r.secret.is_empty() {
        return r.url.clone();
    }
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, r.secret.as_bytes());
    let tag = ring::hmac::sign(&key, format!("{timestamp_ms}\n{}", r.secret).as_bytes());
    let sign = base64::engine::general_purpose::STANDARD.encode(tag.as_ref());
    let sign: String = serde_urlencoded::to_string([("sign", sign)]).unwrap_or_default();
    let sep = if r.url.contains('?') { '&' } else { '?' };
    format!("{}{sep}timestamp={timestamp_ms}&{sign}", r.url)
}

/// Whether the robot's answer says it took the message: both answer
/// `{"errcode":0,…}`, even over HTTP 200 for a refusal. Else the answer's
/// own words (errcode and errmsg, short).
pub fn accepted(answer: &str) -> Result<(), crate::error::Said> {
    use crate::error::Said;
    let v: serde_json::Value = serde_json::from_str(answer)
        .map_err(|_| Said::new("群机器人的回答不是 JSON", "the robot's answer is not JSON"))?;
    match v.get("errcode").and_then(serde_json::Value::as_i64) {
        Some(0) => Ok(()),
        code => {
            // The robot's own message, quoted as it came.
            let msg = v.get("errmsg").and_then(|m| m.as_str()).unwrap_or("");
            let msg: String = msg.chars().take(120).collect();
            let code = code.unwrap_or(-1);
            Err(Said::new(
                format!("错误码 {code}: \"{msg}\""),
                format!("errcode {code}: \"{msg}\""),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dingtalk_sign_matches_its_documented_recipe() {
        // HMAC-SHA256("SECtest", "1700000000000\nSECtest"), base64, URL-encoded.
        let r = Robot {
            kind: Kind::Dingtalk,
            url: "https://oapi.dingtalk.com/robot/send?access_token=abc".into(),
            secret: "SECtest".into(),
        };
        let u = signed_url(&r, 1_700_000_000_000);
        assert!(u.starts_with(
            "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign="
        ));
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"SECtest");
        assert!(ring::hmac::verify(&key, b"1700000000000\nSECtest", &{
            let sign = u.split("sign=").nth(1).unwrap_or("");
            let sign: String =
                serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("s={sign}"))
                    .ok()
                    .and_then(|v| v.into_iter().next())
                    .map(|x| x.1)
                    .unwrap_or_default();
            base64::engine::general_purpose::STANDARD
                .decode(sign)
                .unwrap_or_default()
        })
        .is_ok());
        let wecom = Robot {
            kind: Kind::Wecom,
            ..r
        };
        assert_eq!(signed_url(&wecom, 1), wecom.url);
    }

    #[test]
    fn bodies_have_each_robots_shape_and_fit_its_limit() {
        let long = "课".repeat(3000);
        let w: serde_json::Value = serde_json::from_str(&body(Kind::Wecom, "t", &long)).unwrap();
        assert_eq!(w["msgtype"], "markdown");
        assert!(w["markdown"]["content"].as_str().unwrap().len() <= MAX_BYTES);
        let d: serde_json::Value =
            serde_json::from_str(&body(Kind::Dingtalk, "标题", "x")).unwrap();
        assert_eq!(d["markdown"]["title"], "标题");
        assert_eq!(d["markdown"]["text"], "x");
        assert!(accepted(r#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
        assert!(
            accepted(r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#)
                .unwrap_err()
                .zh
                .contains("93000")
        );
        assert_eq!(
            Kind::of_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
            Some(Kind::Wecom)
        );
        assert_eq!(
            Kind::of_url("https://oapi.dingtalk.com/robot/send?access_token=t"),
            Some(Kind::Dingtalk)
        );
        assert_eq!(Kind::of_url("http://127.0.0.1:9/x"), None);
    }
}
