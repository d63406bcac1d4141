//! The page in a real headless Chromium, driven over WebDriver (chromedriver):
//! typing, facets, the timeline, "+N similar", an article and back, a
//! screenshot, and hostile article text that must not run.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use super::serve::Server;
use super::support::{Test, project_dir};

/// A child process killed when dropped.
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
        .unwrap()
}

/// Starts chromedriver; `None` (said loudly) when it is not installed.
fn chromedriver() -> Option<(Killed, String)> {
    let port = free_port();
    let Ok(child) = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        eprintln!(
            "\n!!! SKIPPED the_page_in_a_real_browser: chromedriver is not installed \
             (apt-get install chromium chromium-driver; .ci/run does) !!!\n"
        );
        return None;
    };
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((Killed(child), url))
}

async fn browser(webdriver: &str) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,1000"]}),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(webdriver)
        .await
        .expect("a Chromium session")
}

/// Waits until `check` holds on the current page.
async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn url(c: &Client) -> String {
    c.current_url().await.unwrap().to_string()
}

/// Asserts that the window is phone-sized and that `page` is no wider than it.
async fn fits_a_phone(c: &Client, page: &str) {
    let widths = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth]",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, inner) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
    assert!(inner <= 400, "the window is {inner} px wide");
    assert!(
        scroll <= inner,
        "{page}: {scroll} px of content in {inner} px"
    );
}

async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.map_or(0, |v| v.len())
}

#[test]
#[ignore = "needs chromium and chromium-driver (installed by .ci/run)"]
fn the_page_in_a_real_browser() {
    let t = Test::new().file(
        "hostile/evil.json",
        r#"{"id":"evil","title":"Zebra <script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">","body":"A zebra story <img src=x onerror=\"window.pwned=3\"> <a href=\"javascript:window.pwned=4\">click</a>.","url":"javascript:window.pwned=5","source":"Evil Wire"}"#,
    );
    let corpus = project_dir().join("corpus");
    t.run_args(["index".into(), corpus.into_os_string(), "hostile".into()])
        .success();
    let Some((_driver, webdriver)) = chromedriver() else {
        return;
    };
    let server = Server::start(&t, &["--quiet"]);
    let base = server.base.clone();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let c = browser(&webdriver).await;
        c.goto(&format!("{base}/")).await.unwrap();
        // Typing updates the results (debounced) and the URL.
        let q = c.find(Locator::Css("#q")).await.unwrap();
        q.send_keys("AI centre").await.unwrap();
        until("highlighted results", || async {
            count(&c, ".hit mark").await > 0
        })
        .await;
        until("the URL to follow", || async {
            url(&c).await.contains("q=AI+centre")
        })
        .await;
        let marked = c
            .find(Locator::Css(".hit mark"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            ["AI", "centre", "Centre"].contains(&marked.as_str()),
            "{marked}"
        );

        // A source facet narrows, and a second click widens again.
        let before = count(&c, ".hit").await;
        c.find(Locator::Css("a.facet"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("a source filter", || async {
            url(&c).await.contains("source=")
        })
        .await;
        until("the facet to be active", || async {
            count(&c, "a.facet.active").await > 0
        })
        .await;
        c.find(Locator::Css("a.facet.active"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("the filter to go", || async {
            !url(&c).await.contains("source=")
        })
        .await;
        until("all hits back", || async {
            count(&c, ".hit").await == before
        })
        .await;

        // A timeline bar narrows the dates.
        c.find(Locator::Css("figure.timeline a"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("a date window", || async {
            let u = url(&c).await;
            u.contains("since=") && u.contains("until=")
        })
        .await;

        // "+N similar" opens in place.
        c.goto(&format!("{base}/?q=dock+workers+strike+automation"))
            .await
            .unwrap();
        let summary = c
            .find(Locator::Css("details.similar summary"))
            .await
            .unwrap();
        assert!(summary.text().await.unwrap().contains("similar"));
        summary.click().await.unwrap();
        let open = c
            .execute(
                "return document.querySelector('details.similar').open",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(open, json!(true));
        let listed = count(&c, "details.similar li").await;
        assert!(listed >= 2, "{listed} copies listed");

        // An article, then back.
        c.goto(&format!("{base}/?q=AI+centre")).await.unwrap();
        c.find(Locator::Css(".hit h2 a"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("the article", || async {
            url(&c).await.contains("/articles/")
        })
        .await;
        assert!(count(&c, "article h1 mark").await > 0);
        c.back().await.unwrap();
        until("the results again", || async {
            count(&c, ".hit").await > 0
        })
        .await;
        let shot = c.screenshot().await.unwrap();
        let target = project_dir().join("target");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("serve-screenshot.png"), &shot).unwrap();

        // Hostile text is shown, never run.
        for page in [
            format!("{base}/?q=zebra"),
            format!("{base}/articles/evil?q=zebra"),
        ] {
            c.goto(&page).await.unwrap();
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert!(
                c.get_alert_text().await.is_err(),
                "a dialog opened on {page}"
            );
            let pwned = c
                .execute("return window.pwned === undefined", vec![])
                .await
                .unwrap();
            assert_eq!(pwned, json!(true), "script ran on {page}");
            assert_eq!(count(&c, "img").await, 0, "an injected element on {page}");
            assert_eq!(count(&c, "a[href^='javascript:']").await, 0);
            let text = c
                .find(Locator::Css("main"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(text.contains("Zebra") || text.contains("zebra"), "{text}");
        }
        // Keyboard: "/" focuses the box.
        c.goto(&format!("{base}/?q=centre")).await.unwrap();
        c.find(Locator::Css("body"))
            .await
            .unwrap()
            .send_keys("/")
            .await
            .unwrap();
        let focused = c
            .execute(
                "return document.activeElement && document.activeElement.id",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(focused, json!("q"));

        // Readable at 360 px: nothing wider than the screen, the box and the
        // results in view.
        c.set_window_size(360, 800).await.unwrap();
        for page in [
            format!("{base}/?q=dock+workers+strike+automation"),
            format!("{base}/articles/evil?q=zebra"),
        ] {
            c.goto(&page).await.unwrap();
            fits_a_phone(&c, &page).await;
        }
        c.goto(&format!("{base}/?q=dock+workers+strike+automation"))
            .await
            .unwrap();
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-screenshot-360.png"), &shot).unwrap();
        c.close().await.unwrap();
    });
}

#[test]
#[ignore = "needs chromium and chromium-driver (installed by .ci/run)"]
fn scanned_pages_in_a_real_browser() {
    let t = Test::new();
    super::support::copy_tree(
        &project_dir().join("tests/formats/issue-articles"),
        &t.path("issue"),
    );
    t.run(["index", "issue"]).success();
    let Some((_driver, webdriver)) = chromedriver() else {
        return;
    };
    let server = Server::start(&t, &["--quiet"]);
    let base = server.base.clone();
    let target = project_dir().join("target");
    std::fs::create_dir_all(&target).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let c = browser(&webdriver).await;
        // The hit says its OCR quality and the page of its passage; the control
        // filters by quality.
        c.goto(&format!("{base}/?q=weavers")).await.unwrap();
        until("the hit", || async { count(&c, ".hit").await == 1 }).await;
        let meta = c.find(Locator::Css(".hit .meta")).await.unwrap().text().await.unwrap();
        assert!(meta.contains("OCR "), "{meta}");
        let page = c.find(Locator::Css(".snippet .page")).await.unwrap().text().await.unwrap();
        assert_eq!(page, "p. 2");
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-ocr-results.png"), &shot).unwrap();
        c.find(Locator::LinkText("≥ 85%")).await.unwrap().click().await.unwrap();
        until("the filtered page", || async {
            url(&c).await.contains("min_ocr_quality=0.85")
        })
        .await;
        assert_eq!(count(&c, ".hit").await, 0, "its quality is below 85%");
        // The article: both scans, the marked words boxed where they are printed.
        c.goto(&format!("{base}/?q=weavers+mill")).await.unwrap();
        c.find(Locator::Css(".hit h2 a")).await.unwrap().click().await.unwrap();
        until("the scans", || async {
            c.execute(
                "return [...document.querySelectorAll('figure.scan img')].every(i => i.complete && i.naturalWidth > 0)",
                vec![],
            )
            .await
            .unwrap()
                == json!(true)
                && count(&c, "figure.scan img").await == 2
        })
        .await;
        assert!(count(&c, "rect.hit").await >= 2, "a box per marked word");
        // "weavers" on page 2: ALTO says x 1140 of 3000 (mm10); the box is drawn there.
        let placed = c
            .execute(
                "const fig = document.querySelectorAll('figure.scan')[1];
                 const img = fig.querySelector('img').getBoundingClientRect();
                 const r = [...fig.querySelectorAll('rect.hit')].map(e => e.getBoundingClientRect());
                 return r.map(b => [(b.left - img.left) / img.width, (b.top - img.top) / img.height]);",
                vec![],
            )
            .await
            .unwrap();
        let placed = placed.as_array().unwrap();
        assert!(
            placed.iter().any(|p| {
                let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
                (x - 1140.0 / 3000.0).abs() < 0.01 && (y - 100.0 / 4200.0).abs() < 0.01
            }),
            "{placed:?}"
        );
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-scan.png"), &shot).unwrap();
        c.set_window_size(360, 800).await.unwrap();
        fits_a_phone(&c, &url(&c).await).await;
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-scan-360.png"), &shot).unwrap();
        c.goto(&format!("{base}/?q=weavers")).await.unwrap();
        until("the hit", || async { count(&c, ".hit").await == 1 }).await;
        fits_a_phone(&c, &url(&c).await).await;
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-ocr-results-360.png"), &shot).unwrap();
        c.close().await.unwrap();
    });
}

#[test]
#[ignore = "needs chromium and chromium-driver (installed by .ci/run)"]
fn trends_in_a_real_browser() {
    let t = super::trends::archive();
    let Some((_driver, webdriver)) = chromedriver() else {
        return;
    };
    let server = Server::start(&t, &["--quiet"]);
    let base = server.base.clone();
    let target = project_dir().join("target");
    std::fs::create_dir_all(&target).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let c = browser(&webdriver).await;
        // From the results, "compare over time" opens the trends of the query.
        c.goto(&format!("{base}/?q=strike&source=Evening+Star")).await.unwrap();
        c.find(Locator::LinkText("compare over time"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("the trends page", || async { url(&c).await.contains("/trends?") }).await;
        assert!(url(&c).await.contains("source=Evening+Star"), "the filters come along");
        assert_eq!(count(&c, "ul.legend li").await, 1);
        // Another query, typed into the empty box, gets its own line.
        let boxes = c.find_all(Locator::Css(".trends-form input[name=q]")).await.unwrap();
        boxes[1].send_keys("ferry").await.unwrap();
        c.find(Locator::Css(".trends-form select[name=per]"))
            .await
            .unwrap()
            .select_by_value("month")
            .await
            .unwrap();
        c.find(Locator::Css(".trends-form button")).await.unwrap().click().await.unwrap();
        until("two lines", || async { count(&c, "ul.legend li").await == 2 }).await;
        assert!(count(&c, "figure.trends polyline").await >= 2);
        let label = c
            .execute(
                "const s = document.querySelector('figure.trends svg');
                 return [s.getAttribute('role'), document.getElementById(s.getAttribute('aria-labelledby').split(' ')[0]).textContent];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(label[0], "img");
        assert!(label[1].as_str().unwrap().contains("per month"), "{label}");
        assert_eq!(count(&c, "table.trends-table tbody tr").await, 3, "three months");
        let csv = c
            .find(Locator::LinkText("CSV"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        assert!(csv.starts_with("/api/trends?") && csv.contains("format=csv"), "{csv}");
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-trends.png"), &shot).unwrap();
        c.set_window_size(360, 800).await.unwrap();
        fits_a_phone(&c, &url(&c).await).await;
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-trends-360.png"), &shot).unwrap();
        c.close().await.unwrap();
    });
}

#[test]
#[ignore = "needs chromium and chromium-driver (installed by .ci/run)"]
fn distinctive_terms_and_reprints_in_a_real_browser() {
    let t = super::reuse::archive();
    let Some((_driver, webdriver)) = chromedriver() else {
        return;
    };
    let server = Server::start(&t, &["--quiet"]);
    let base = server.base.clone();
    let target = project_dir().join("target");
    std::fs::create_dir_all(&target).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let c = browser(&webdriver).await;
        // The results list the distinctive terms on request; one adds itself.
        c.goto(&format!("{base}/?q=cargo")).await.unwrap();
        c.find(Locator::LinkText("Show them"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("the terms", || async { count(&c, "ul.terms li").await > 0 }).await;
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-terms.png"), &shot).unwrap();
        let first = c.find(Locator::Css("ul.terms li a")).await.unwrap();
        let term = first.text().await.unwrap();
        first.click().await.unwrap();
        let wanted = format!("cargo \"{}\"", term.trim_start_matches("+ "));
        until("the narrowed query", || async {
            let q = match c.find(Locator::Id("q")).await {
                Ok(input) => input.prop("value").await.ok().flatten(),
                Err(_) => None,
            };
            q.as_deref() == Some(wanted.as_str())
        })
        .await;
        // An article lists where its passage also appeared, and links there.
        c.goto(&format!("{base}/articles/p1")).await.unwrap();
        until("the reprints", || async {
            count(&c, "section.reprints li").await == 4
        })
        .await;
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-reprints.png"), &shot).unwrap();
        c.find(Locator::Css("section.reprints li a"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("another printing", || async {
            url(&c).await.contains("/articles/p") && !url(&c).await.ends_with("/p1")
        })
        .await;
        assert_eq!(count(&c, "section.reprints li").await, 4);
        c.set_window_size(360, 800).await.unwrap();
        fits_a_phone(&c, &url(&c).await).await;
        c.close().await.unwrap();
    });
}

#[test]
#[ignore = "needs chromium and chromium-driver (installed by .ci/run)"]
fn newsroom_pages_in_a_real_browser() {
    let t = super::trends::archive();
    let Some((_driver, webdriver)) = chromedriver() else {
        return;
    };
    t.run(["watch", "add", "ferries", "ferry"]).success();
    t.write("names.txt", "mill hands\ncouncil\n");
    t.run(["watch", "add", "names", "--file", "names.txt"])
        .success();
    t.write(
        "late.jsonl",
        &(serde_json::json!({"id": "late", "title": "Ferry back", "body": "The ferry is back.",
            "date": "1916-04-01", "source": "Evening Star", "place": "Washington, D.C."})
        .to_string()
            + "\n"),
    );
    t.run(["index", "late.jsonl"]).success();
    t.write(
        "list.csv",
        "id,query,source\nS,strike,\nF,ferry,Evening Star\nN,zeppelin,\n",
    );
    let list = t.path("list.csv");
    let server = Server::start(&t, &["--quiet"]);
    let base = server.base.clone();
    let target = project_dir().join("target");
    std::fs::create_dir_all(&target).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let c = browser(&webdriver).await;
        // The home page lists the saved searches with their unread counts.
        c.goto(&format!("{base}/")).await.unwrap();
        assert_eq!(count(&c, "section.watches li").await, 2);
        assert_eq!(count(&c, "section.watches .unread.new").await, 1);
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-watches.png"), &shot).unwrap();
        // Batch: a chosen file fills the box, and Run gives the table.
        c.find(Locator::LinkText("Batch search")).await.unwrap().click().await.unwrap();
        until("the batch form", || async { url(&c).await.ends_with("/batch") }).await;
        c.find(Locator::Id("list-file"))
            .await
            .unwrap()
            .send_keys(list.to_str().unwrap())
            .await
            .unwrap();
        until("the list read in", || async {
            c.find(Locator::Id("list"))
                .await
                .unwrap()
                .prop("value")
                .await
                .ok()
                .flatten()
                .is_some_and(|v| v.starts_with("id,query,source"))
        })
        .await;
        c.find(Locator::Css("#batch button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("the results table", || async {
            count(&c, "table.batch tbody tr").await == 3
        })
        .await;
        let totals = c
            .execute(
                "return [...document.querySelectorAll('table.batch td.total')].map(td => td.textContent);",
                vec![],
            )
            .await
            .unwrap();
        let strike = t.count("strike").to_string();
        let ferry = t
            .run(["query", "ferry", "--source", "Evening Star", "-c"])
            .stdout_text()
            .trim()
            .to_string();
        assert_eq!(totals, serde_json::json!([strike, ferry, "0"]));
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-batch.png"), &shot).unwrap();
        c.set_window_size(360, 800).await.unwrap();
        fits_a_phone(&c, &format!("{base}/batch")).await;
        c.set_window_size(1200, 900).await.unwrap();
        // The article page's Cite control opens on the citation.
        c.goto(&format!("{base}/articles/late")).await.unwrap();
        c.find(Locator::Css("details.cite summary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let citation = c
            .find(Locator::Css("details.cite .citation"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            citation.starts_with("\u{201c}Ferry back.\u{201d} Evening Star (Washington, D.C.), April 1, 1916."),
            "{citation}"
        );
        let shot = c.screenshot().await.unwrap();
        std::fs::write(target.join("serve-cite.png"), &shot).unwrap();
        c.close().await.unwrap();
    });
}
