//! A file uploaded with a web form (`multipart/form-data`, RFC 7578),
//! read by hand: the form's text fields and its one file. The body is
//! bounded before it is read (the guard reads at most the input file
//! limit of `limits.rs` plus a little for the fields), and an upload
//! waits here, under a random token, until its preview is confirmed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::input::limits::MAX_FILE_BYTES;

/// The largest body a multipart form may have: one input file and its fields.
pub(crate) const MAX_UPLOAD_BYTES: usize = MAX_FILE_BYTES as usize + 64 * 1024;

/// The file of a form.
#[derive(Debug, Clone, Default)]
pub(crate) struct Upload {
    /// The file's name as the browser gave it (its last path segment).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let (mime, params) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty() && b.len() <= 200)
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// A part's `name` and `filename` from its Content-Disposition header.
fn disposition(head: &str) -> (Option<String>, Option<String>) {
    let mut name = None;
    let mut filename = None;
    for line in head.split("\r\n") {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        if !k.trim().eq_ignore_ascii_case("content-disposition") {
            continue;
        }
        for p in v.split(';').skip(1) {
            if let Some((pk, pv)) = p.trim().split_once('=') {
                let pv = pv.trim().trim_matches('"').to_string();
                match pk.trim() {
                    "name" => name = Some(pv),
                    "filename" => filename = Some(pv),
                    _ => {}
                }
            }
        }
    }
    (name, filename)
}

/// The form's text fields and its (first) file; None when the body is
/// not a well-formed multipart form.
pub(crate) fn parse(
    boundary: &str,
    body: &[u8],
) -> Option<(HashMap<String, String>, Option<Upload>)> {
    let delim = format!("--{boundary}");
    let sep = format!("\r\n--{boundary}");
    let mut fields = HashMap::new();
    let mut file = None;
    let mut at = find(body, delim.as_bytes(), 0)? + delim.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some((fields, file)); // the closing delimiter
        }
        if body.get(at..at + 2) != Some(b"\r\n") {
            return None;
        }
        let head_end = find(body, b"\r\n\r\n", at + 2)?;
        let head = std::str::from_utf8(&body[at + 2..head_end]).ok()?;
        let start = head_end + 4;
        let end = find(body, sep.as_bytes(), start)?;
        let content = &body[start..end];
        match disposition(head) {
            (Some(name), Some(filename)) => {
                if file.is_none() && !filename.is_empty() {
                    let base = filename.rsplit(['/', '\\']).next().unwrap_or("");
                    file = Some(Upload {
                        name: base.to_string(),
                        bytes: content.to_vec(),
                    });
                }
                let _ = name;
            }
            (Some(name), None) => {
                fields.insert(name, String::from_utf8_lossy(content).into_owned());
            }
            _ => {}
        }
        at = end + sep.len();
    }
}

/// An upload kept until its preview is confirmed (or for an hour).
pub(crate) struct Pending {
    pub table: String,
    pub login: String,
    pub upload: Upload,
    /// A hash of the merged table the preview showed: the confirm saves
    /// only if the import still gives those bytes.
    pub merged: String,
    at: Instant,
}

/// Uploads waiting for their confirm, by token.
#[derive(Default)]
pub(crate) struct Uploads(Mutex<HashMap<String, Pending>>);

const KEEP: Duration = Duration::from_secs(3600);
/// At most this many uploads wait at once (the oldest goes first).
const MAX_PENDING: usize = 8;

impl Uploads {
    pub fn put(&self, token: String, table: &str, login: &str, upload: Upload, merged: String) {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        m.retain(|_, p| p.at.elapsed() < KEEP);
        while m.len() >= MAX_PENDING {
            let oldest = m.iter().min_by_key(|(_, p)| p.at).map(|(k, _)| k.clone());
            match oldest {
                Some(k) => m.remove(&k),
                None => break,
            };
        }
        m.insert(
            token,
            Pending {
                table: table.to_string(),
                login: login.to_string(),
                upload,
                merged,
                at: Instant::now(),
            },
        );
    }

    /// The upload of `token`, taken out (a confirm uses it once).
    pub fn take(&self, token: &str) -> Option<Pending> {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        m.remove(token).filter(|p| p.at.elapsed() < KEEP)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_with_a_file_and_fields() {
        let b = "XyZ";
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\x\\\\staff.csv\"\r\nContent-Type: text/csv\r\n\r\nid,name\r\nT1,a\r\n\r\n--XyZ--\r\n";
        let (f, up) = parse(b, body.as_bytes()).expect("parses");
        assert_eq!(f.get("csrf").map(String::as_str), Some("abc"));
        let up = up.expect("file");
        assert_eq!(up.name, "staff.csv");
        assert_eq!(up.bytes, b"id,name\r\nT1,a\r\n");
        assert_eq!(
            boundary("multipart/form-data; boundary=\"XyZ\"").as_deref(),
            Some("XyZ")
        );
        assert!(boundary("application/x-www-form-urlencoded").is_none());
        assert!(parse(b, b"--XyZ\r\nbroken").is_none());
    }
}
