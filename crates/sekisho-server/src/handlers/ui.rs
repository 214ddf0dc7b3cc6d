//! `GET /` and `GET /ui/{asset}`: the browser UI, compiled into the binary so that it works
//! offline and always matches the API it calls. The pages need no key; the user pastes one
//! into the page, which sends it with each API call.

use axum::extract::Path;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

const JS: &str = "text/javascript; charset=utf-8";

/// (name under /ui/, content type, bytes).
const ASSETS: [(&str, &str, &[u8]); 12] = [
    ("app.js", JS, include_bytes!("../../ui/app.js")),
    ("api.js", JS, include_bytes!("../../ui/api.js")),
    ("dom.js", JS, include_bytes!("../../ui/dom.js")),
    ("i18n.js", JS, include_bytes!("../../ui/i18n.js")),
    ("highlight.js", JS, include_bytes!("../../ui/highlight.js")),
    ("screen.js", JS, include_bytes!("../../ui/screen.js")),
    ("batch.js", JS, include_bytes!("../../ui/batch.js")),
    ("cases.js", JS, include_bytes!("../../ui/cases.js")),
    ("audit.js", JS, include_bytes!("../../ui/audit.js")),
    ("determine.js", JS, include_bytes!("../../ui/determine.js")),
    ("classify.js", JS, include_bytes!("../../ui/classify.js")),
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../ui/app.css")),
];

const PAGE: &[u8] = include_bytes!("../../ui/index.html");

/// Only our own scripts and styles, and API calls to this origin: a pasted key cannot be
/// sent elsewhere by injected markup.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub async fn page() -> Response {
    served("text/html; charset=utf-8", PAGE)
}

pub async fn asset(Path(name): Path<String>) -> Result<Response, ApiError> {
    let (_, content_type, bytes) = ASSETS
        .iter()
        .find(|(asset, _, _)| *asset == name)
        .ok_or_else(|| ApiError::not_found(format!("no UI asset {name:?}")))?;
    Ok(served(content_type, bytes))
}

fn served(content_type: &'static str, bytes: &'static [u8]) -> Response {
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        // Revalidate, so that a new binary's UI is picked up at once.
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (HeaderName::from_static("x-frame-options"), HeaderValue::from_static("DENY")),
    ];
    (headers, bytes).into_response()
}

#[cfg(test)]
mod tests {
    /// Every file the page and the scripts load is one the server has.
    #[test]
    fn every_referenced_asset_is_served() {
        let mut texts = vec![std::str::from_utf8(super::PAGE).unwrap()];
        texts.extend(super::ASSETS.iter().filter(|a| a.0.ends_with(".js")).map(|a| std::str::from_utf8(a.2).unwrap()));
        let mut referenced = 0;
        for text in texts {
            for part in text.split("/ui/").skip(1).chain(text.split("from \"./").skip(1)) {
                let name: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-').collect();
                assert!(super::ASSETS.iter().any(|a| a.0 == name), "{name:?} is referenced but not served");
                referenced += 1;
            }
        }
        assert!(referenced >= super::ASSETS.len(), "only {referenced} references found");
    }
}
