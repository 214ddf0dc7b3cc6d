//! `sekisho lists update` against a real HTTP server on 127.0.0.1 serving good and broken
//! list files: every failure must leave the previous snapshot in service.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::thread;

use common::{Sekisho, shared_lists};

/// A small BIS Denied Persons List in the official tab-separated layout (made-up parties).
const DPL: &str = "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t\"FR_Citation\"
\"EXAMPLE TRADING LLC\"\t\"1 HARBOUR ROAD\"\t\"DUBAI\"\t\"\"\t\"AE\"\t\"\"\t\"01/15/2020\"\t\"01/15/2030\"\t\"Y\"\t\"2020-01-20\"\t\"F.R. NOTICE ADDED\"\t\"85 F.R. 1234 1/20/2020\"
\"JOHN SAMPLE DOE\"\t\"2 MAIN STREET\"\t\"MIAMI\"\t\"FL\"\t\"US\"\t\"33101\"\t\"03/02/2021\"\t\"03/02/2031\"\t\"Y\"\t\"2021-03-05\"\t\"F.R. NOTICE ADDED\"\t\"86 F.R. 5678 3/5/2021\"
\"NORTHWIND PARTS CO\"\t\"3 RIVER LANE\"\t\"RIGA\"\t\"\"\t\"LV\"\t\"\"\t\"07/07/2022\"\t\"07/07/2027\"\t\"Y\"\t\"2022-07-10\"\t\"F.R. NOTICE ADDED\"\t\"87 F.R. 9999 7/10/2022\"
";

struct Route {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

/// Serves the routes on 127.0.0.1 until the test process ends; returns the base URL.
fn serve(routes: HashMap<&'static str, Route>) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip address"));
    let routes = Arc::new(routes);
    thread::spawn(move || {
        for request in server.incoming_requests() {
            let response = match routes.get(request.url()) {
                Some(r) => tiny_http::Response::from_data(r.body.clone())
                    .with_status_code(r.status)
                    .with_header(
                        tiny_http::Header::from_bytes("Content-Type", r.content_type).expect("header"),
                    ),
                None => tiny_http::Response::from_string("not found").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    base
}

fn route(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Route {
    Route { status, content_type, body: body.into() }
}

/// Writes a sources config naming one source and its URL.
fn config(s: &Sekisho, name: &str, source: &str, url: &str) -> String {
    let text = format!("[limits]\nmax_shrink = 0.5\n\n[sources.{source}]\nurls = [\"{url}\"]\n");
    s.write(name, &text).to_string_lossy().into_owned()
}

fn active_count(s: &Sekisho, source: &str) -> Option<(i64, u64)> {
    s.active()
        .iter()
        .find(|snap| snap["source"] == source)
        .map(|snap| (snap["id"].as_i64().unwrap(), snap["entity_count"].as_u64().unwrap()))
}

#[test]
fn update_imports_and_every_broken_download_keeps_the_previous_snapshot() {
    let two_rows: String = DPL.lines().take(3).map(|l| format!("{l}\n")).collect();
    let one_row: String = DPL.lines().take(2).map(|l| format!("{l}\n")).collect();
    let cut_mid_row = &DPL[..DPL.len() - 40];
    let base = serve(HashMap::from([
        ("/dpl.txt", route(200, "text/plain", DPL)),
        ("/gone.txt", route(404, "text/plain", "no such file")),
        ("/server-error.txt", route(500, "text/plain", "oops")),
        ("/empty.txt", route(200, "text/plain", "")),
        ("/landing.txt", route(200, "text/html; charset=utf-8", "<html><body>Maintenance</body></html>")),
        ("/garbage.txt", route(200, "application/octet-stream", "\u{0}\u{1}binary junk")),
        ("/cut.txt", route(200, "text/plain", cut_mid_row)),
        ("/one-row.txt", route(200, "text/plain", one_row)),
        ("/two-rows.txt", route(200, "text/plain", two_rows)),
    ]));
    let s = Sekisho::new();

    let good = config(&s, "good.toml", "us_bis_dpl", &format!("{base}/dpl.txt"));
    let out = s.ok(&["lists", "update", "--config", &good]);
    assert!(out.contains("updated us_bis_dpl"), "{out}");
    let (first_id, count) = active_count(&s, "us_bis_dpl").expect("dpl in service");
    assert_eq!(count, 3);

    let broken = [
        ("gone.txt", "HTTP 404"),
        ("server-error.txt", "HTTP 500"),
        ("empty.txt", "empty file"),
        ("landing.txt", "text/html"),
        ("garbage.txt", "not a list format"),
        ("cut.txt", "cut.txt"),
        ("one-row.txt", "--force"),
    ];
    for (file, expected) in broken {
        let cfg = config(&s, "broken.toml", "us_bis_dpl", &format!("{base}/{file}"));
        let err = s.fails(&["lists", "update", "--config", &cfg]);
        assert!(err.contains(expected), "{file}: expected {expected:?} in error:\n{err}");
        assert!(err.contains(&format!("snapshot {first_id} stays in service")), "{file}: {err}");
        assert_eq!(active_count(&s, "us_bis_dpl"), Some((first_id, 3)), "{file} changed the list in service");
    }

    // A connection refused: nothing listens on port 9 of loopback.
    let cfg = config(&s, "down.toml", "us_bis_dpl", "http://127.0.0.1:9/dpl.txt");
    let err = s.fails(&["lists", "update", "--config", &cfg]);
    assert!(err.contains("cannot download"), "{err}");
    assert_eq!(active_count(&s, "us_bis_dpl"), Some((first_id, 3)));

    // The right format for the wrong source is refused too.
    let cfg = config(&s, "wrong.toml", "un_sc_sanctions", &format!("{base}/dpl.txt"));
    let err = s.fails(&["lists", "update", "--config", &cfg]);
    assert!(err.contains("not un_sc_sanctions"), "{err}");

    // A smaller list within the shrink limit is a normal update; a big shrink needs --force.
    let cfg = config(&s, "two.toml", "us_bis_dpl", &format!("{base}/two-rows.txt"));
    s.ok(&["lists", "update", "--config", &cfg]);
    let (second_id, count) = active_count(&s, "us_bis_dpl").unwrap();
    assert!(second_id > first_id);
    assert_eq!(count, 2);
    let cfg = config(&s, "one.toml", "us_bis_dpl", &format!("{base}/one-row.txt"));
    s.ok(&["lists", "update", "--config", &cfg, "--force"]);
    assert_eq!(active_count(&s, "us_bis_dpl").unwrap().1, 1);

    // The diff between the last two snapshots names the removed party.
    let diff = s.ok(&["lists", "diff", "us_bis_dpl"]);
    assert!(diff.contains("0 added, 1 removed, 0 changed, 1 unchanged"), "{diff}");
    assert!(diff.contains("- ") && diff.contains("JOHN SAMPLE DOE"), "{diff}");
}

#[test]
fn update_with_the_real_un_list_and_a_truncated_copy() {
    let Some(lists) = shared_lists() else { return };
    let xml = std::fs::read(lists.join("un-sc-2026-02-27/consolidated.xml")).expect("UN list");
    let half = xml[..xml.len() / 2].to_vec();
    let base = serve(HashMap::from([
        ("/consolidated.xml", route(200, "application/xml", xml)),
        ("/truncated.xml", route(200, "application/xml", half)),
    ]));
    let s = Sekisho::new();
    let good = config(&s, "good.toml", "un_sc_sanctions", &format!("{base}/consolidated.xml"));
    s.ok(&["lists", "update", "--config", &good]);
    let (id, count) = active_count(&s, "un_sc_sanctions").unwrap();
    assert_eq!(count, 1003);
    let bad = config(&s, "bad.toml", "un_sc_sanctions", &format!("{base}/truncated.xml"));
    let err = s.fails(&["lists", "update", "--config", &bad]);
    assert!(err.contains("truncated.xml"), "{err}");
    assert_eq!(active_count(&s, "un_sc_sanctions"), Some((id, 1003)));
}

#[test]
fn the_default_config_is_written_to_the_data_home_and_names_every_source() {
    let s = Sekisho::new();
    // Asking for an unknown source fails before any download, after writing the default.
    let err = s.fails(&["lists", "update", "no_such_list"]);
    assert!(err.contains("no_such_list"), "{err}");
    let config = std::fs::read_to_string(s.home.path().join("sources.toml")).expect("default config");
    for source in ["us_ofac_sdn", "un_sc_sanctions", "us_trade_csl", "us_bis_dpl", "jp_meti_end_user", "jp_mof_asset_freeze"] {
        assert!(config.contains(&format!("[sources.{source}]")), "{source} missing from default config");
    }
    // A config named on the command line must exist; none is made up in its place.
    let missing = s.home.path().join("elsewhere/sources.toml");
    let err = s.fails(&["lists", "update", "--config", missing.to_str().unwrap()]);
    assert!(err.contains("cannot read") && err.contains("elsewhere"), "{err}");
    assert!(!missing.exists());
}
