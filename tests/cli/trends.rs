//! Issue 23, trends: `news-search trends` counts each query's matches and all
//! articles per period under the same filters, exactly as `query -c` counts
//! them over the same windows; the API and the page give the same numbers.

use serde_json::Value;

use super::serve::Server;
use super::support::Test;

/// Articles over three months of 1916 in two papers: strikes grow, ferries fade,
/// and two articles have no date.
pub fn archive() -> Test {
    let mut lines = Vec::new();
    let papers = ["Evening Star", "Bisbee Daily Review"];
    for day in 0..90u32 {
        let date =
            chrono::NaiveDate::from_ymd_opt(1916, 1, 1).unwrap() + chrono::Days::new(day.into());
        let paper = papers[(day % 2) as usize];
        let strike = day % 7 < (day / 30 + 1);
        let ferry = day % 5 == 0 && day < 60;
        let mut body = format!("Town news of day {day}: the council met and the weather held.");
        if strike {
            body.push_str(" The mill hands went on strike for a shorter week.");
        }
        if ferry {
            body.push_str(" The ferry to the island was late again.");
        }
        lines.push(
            serde_json::json!({
                "id": format!("d{day}"),
                "title": format!("Notes of the day {day}"),
                "body": body,
                "date": date.format("%Y-%m-%d").to_string(),
                "source": paper,
            })
            .to_string(),
        );
    }
    for n in 0..2 {
        lines.push(serde_json::json!({
            "id": format!("undated{n}"), "title": "A strike with no date", "body": "A strike somewhere, some time.",
        }).to_string());
    }
    let t = Test::new().file("archive.jsonl", &(lines.join("\n") + "\n"));
    t.run(["index", "archive.jsonl"]).success();
    t
}

/// The `trend` rows and the summary of `trends … --json`.
fn rows(t: &Test, args: &[&str]) -> (Vec<Value>, Value) {
    let mut all = vec!["trends"];
    all.extend_from_slice(args);
    t.json_lines(&all, "trend")
}

fn count(t: &Test, args: &[&str]) -> u64 {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    all.push("-c");
    t.run_vec(&all).stdout_text().trim().parse().unwrap()
}

#[test]
fn trends_counts_equal_query_counts_over_the_same_windows() {
    let t = archive();
    for per in ["month", "week"] {
        for filters in [&[][..], &["--source", "Evening Star"][..]] {
            let mut args = vec!["strike", "ferry", "--per", per];
            args.extend_from_slice(filters);
            let (rows, summary) = rows(&t, &args);
            assert_eq!(summary["per"], per);
            let periods = summary["periods"].as_u64().unwrap() as usize;
            assert_eq!(rows.len(), 2 * periods, "{rows:#?}");
            if per == "month" {
                assert_eq!(periods, 3);
            }
            let mut seen = 0;
            for row in &rows {
                let period = row["period"].as_str().unwrap();
                let query = row["query"].as_str().unwrap();
                let mut window = vec![query, "--since", period, "--until", period];
                window.extend_from_slice(filters);
                let matches = count(&t, &window);
                assert_eq!(row["matches"], matches, "{query} in {period} {filters:?}");
                window[0] = "*";
                let articles = count(&t, &window);
                assert_eq!(row["articles"], articles, "all in {period} {filters:?}");
                let share = row["share"].as_f64().unwrap();
                assert!((share - matches as f64 / articles as f64).abs() < 1e-12);
                seen += matches;
            }
            assert!(seen > 0);
            // The undated strikes are counted apart, in no period.
            if filters.is_empty() {
                assert_eq!(summary["undated"], 2);
                assert_eq!(summary["queries"][0]["undated"], 2);
            }
        }
    }
    // Strikes grow month on month; ferries stop in March.
    let (rows, _) = rows(&t, &["strike", "ferry", "--per", "month"]);
    let share = |q: &str, p: &str| {
        rows.iter()
            .find(|r| r["query"] == q && r["period"] == p)
            .map(|r| r["share"].as_f64().unwrap())
            .unwrap()
    };
    assert!(share("strike", "1916-01") < share("strike", "1916-03"));
    assert_eq!(share("ferry", "1916-03"), 0.0);
}

#[test]
fn trends_are_tab_separated_when_piped_and_say_what_is_wrong() {
    let t = archive();
    let run = t.run(["trends", "strike", "--per", "month", "--since", "1916-02"]);
    run.success();
    assert_eq!(
        run.stdout_text().lines().collect::<Vec<_>>()[..2],
        [
            "query\tperiod\tmatches\tarticles\tshare",
            "strike\t1916-02\t8\t29\t0.275862"
        ]
    );
    // No period chosen: a span of three months is drawn per week.
    let (_, summary) = rows(&t, &["strike"]);
    assert_eq!(summary["per"], "week");

    t.run(["trends", "zeppelin"]).code(1);
    t.run(["trends"]).code(2);
    t.run(["trends", "strike", "--per", "source"]).code(2);
    t.run(["trends", "strike", "--per", "fortnight"]).code(2);
    t.run(["trends", "strike", "--since", "1917"])
        .code(2)
        .stderr_has("no dated article under these filters");

    let undated = Test::new().file("a.txt", "A strike at the mill.\n");
    undated.run(["index", "a.txt"]).success();
    undated
        .run(["trends", "strike"])
        .code(2)
        .stderr_has("trends count articles by their date (1 articles here have none)");
}

#[test]
fn the_api_and_the_page_give_the_same_numbers() {
    let t = archive();
    let (cli, _) = rows(&t, &["strike", "ferry", "--per", "month"]);
    let server = Server::start(&t, &["--quiet"]);
    let api = server.json("/api/trends?q=strike&q=ferry&per=month", 200);
    assert_eq!(api["rows"].as_array().unwrap(), &cli);
    assert_eq!(api["summary"]["per"], "month");

    let (status, csv) = server.get("/api/trends?q=strike&per=month&format=csv");
    assert_eq!(status, 200);
    assert_eq!(
        csv.lines().next(),
        Some("query,period,matches,articles,share")
    );
    assert_eq!(csv.lines().count(), 4);

    let error = server.json("/api/trends?per=month", 400);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at least one query")
    );
    server.json("/api/trends?q=strike&per=source", 400);

    let (status, page) = server.get("/trends?q=strike&q=ferry&per=month");
    assert_eq!(status, 200);
    assert!(
        page.contains("role=\"img\"") && page.contains("<polyline"),
        "a chart"
    );
    assert!(
        page.contains("<table class=\"trends-table\""),
        "the numbers as a table"
    );
    assert!(page.contains("/api/trends?q=strike&amp;q=ferry&amp;per=month&amp;format=csv"));
    let (_, results) = server.get("/?q=strike&since=1916-02");
    assert!(
        results.contains("href=\"/trends?q=strike&amp;since=1916-02\""),
        "the results page leads to the comparison"
    );
}
