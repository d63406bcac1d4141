//! Damaged input never crashes or stalls the readers: every sample file of the
//! project (the corpus and the format fixtures), and its zip and gzip copies, is
//! read again with bytes changed, cut short or repeated, under its own name (a
//! name picks the reader as much as the content does). Each read must end within
//! a time limit, without a panic; what it gives (articles or warnings) is the
//! reader's business. The mutations are seeded, so a failure names the file and
//! the mutation that caused it and replays. The number of reads is bounded so that
//! CI runs it in seconds; `NEWS_FUZZ_MUTANTS=400 cargo test --release --test
//! ingest_fuzz -- --include-ignored` reads more.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use base64::Engine;
use news_search::article::Article;
use news_search::ingest::meta::{apply, fill_template};
use news_search::ingest::{
    Boilerplate, Emit, Limits, MetaTables, Problem, SourceFile, Warning, parse_file, parse_stdin,
};
use proptest::prelude::*;

/// Mutated copies read per sample file, unless `NEWS_FUZZ_MUTANTS` says.
const MUTANTS: u64 = 32;
/// Longest a read of one small damaged file may take (on a loaded CI machine).
const PATIENCE: Duration = Duration::from_secs(20);

/// A small deterministic generator (xorshift64*), so a failure replays.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Numbers a damaged file may hold where a count, a size, a coordinate or a date
/// was: zero, negative, past 32 and 64 bits, in exponent form, not a number.
const EXTREME_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "4294967296",
    "-2147483649",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "0.0000001",
];

/// A damaged copy of `bytes`: some bytes changed, in one copy in three some
/// numbers made extreme, then perhaps cut short, a stretch repeated (a record read
/// twice, a length field now wrong) or a stretch left out.
fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.is_empty() {
        return out;
    }
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(out.len());
        out[at] = match rng.below(4) {
            0 => 0,
            1 => 0xff,
            2 => out[at] ^ (1 << rng.below(8)),
            _ => rng.next() as u8,
        };
    }
    if rng.below(3) == 0 {
        for _ in 0..1 + rng.below(3) {
            replace_number(&mut out, rng);
        }
    }
    match rng.below(6) {
        0 => out.truncate(rng.below(out.len())),
        1 => {
            let from = rng.below(out.len());
            let to = (from + 1 + rng.below(4096)).min(out.len());
            let stretch = out[from..to].to_vec();
            let at = rng.below(out.len());
            out.splice(at..at, stretch);
        }
        2 => {
            let from = rng.below(out.len());
            let to = (from + 1 + rng.below(256)).min(out.len());
            out.drain(from..to);
        }
        _ => {}
    }
    out
}

/// Replaces the run of ASCII digits at or after a random place with one of
/// [`EXTREME_NUMBERS`]; nothing when no digit follows.
fn replace_number(out: &mut Vec<u8>, rng: &mut Rng) {
    if out.is_empty() {
        return;
    }
    let from = rng.below(out.len());
    let Some(start) = out[from..]
        .iter()
        .position(u8::is_ascii_digit)
        .map(|i| from + i)
    else {
        return;
    };
    let end = out[start..]
        .iter()
        .position(|b| !b.is_ascii_digit())
        .map_or(out.len(), |i| start + i);
    let number = EXTREME_NUMBERS[rng.below(EXTREME_NUMBERS.len())];
    out.splice(start..end, number.bytes());
}

/// Every file under `dir`, in name order.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A zip archive of `parts`.
fn zipped(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// Samples of the formats that have no file among the fixtures (the CLI tests
/// build theirs): small but complete, in our own words.
fn generated() -> Vec<(String, Vec<u8>)> {
    let page = "<html><head><title>Ferry crews return</title></head><body><nav>Home</nav>\
        <article><h1>Ferry crews return</h1><p>Crews went back to the island ferries on Monday \
        after the harbour board agreed to new rosters.</p></article></body></html>";
    let response = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{page}");
    let warc_record = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n\
         WARC-Date: 2024-02-01T12:00:00Z\r\nWARC-Target-URI: https://example.org/ferry\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{response}\r\n\r\n",
        response.len()
    );
    let rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour News</title>\
        <item><title>Ferry crews return</title><link>https://example.org/ferry</link>\
        <pubDate>Mon, 05 Feb 2024 09:00:00 GMT</pubDate><description>Crews went back \
        to the island ferries.</description></item></channel></rss>";
    let atom = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Harbour</title>\
        <entry><title>Ferry crews return</title><id>urn:1</id><updated>2024-02-05T09:00:00Z</updated>\
        <content type=\"html\">&lt;p&gt;Crews went back to the ferries.&lt;/p&gt;</content></entry></feed>";
    let eml = "From: desk@example.org\r\nTo: news@example.org\r\nSubject: Ferry crews return\r\n\
        Date: Mon, 5 Feb 2024 09:00:00 +0000\r\nMIME-Version: 1.0\r\n\
        Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n\
        Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
        Crews went back to the island ferries on Monday =E2=80=94 after talks.\r\n--b--\r\n";
    let mbox = format!(
        "From desk@example.org Mon Feb  5 09:00:00 2024\n{}\n",
        eml.replace("\r\n", "\n")
    );
    let sgml = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS NEWID=\"1\">\n\
        <DATE>26-FEB-1987 15:01:01.79</DATE>\n<TEXT>\n<TITLE>FERRY CREWS RETURN</TITLE>\n\
        <DATELINE>    HARBOUR, Feb 26 - </DATELINE><BODY>Crews went back to the ferries.\n\
        Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n";
    let csv = "title,date,source,body\n\"Ferry crews return\",2024-02-05,Harbour News,\
        \"Crews went back to the island ferries, after talks.\"\n";
    let json = r#"[{"title":"Ferry crews return","date":"2024-02-05","body":"Crews went back."}]"#;
    let docx = zipped(&[
        ("[Content_Types].xml", b"<Types/>"),
        (
            "word/document.xml",
            br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Ferry crews return</w:t></w:r></w:p><w:p><w:r><w:t>Crews went back to the island ferries.</w:t></w:r></w:p></w:body></w:document>"#,
        ),
    ]);
    let odt = zipped(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        (
            "content.xml",
            br#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:h>Ferry crews return</text:h><text:p>Crews went back to the island ferries.</text:p></office:text></office:body></office:document-content>"#,
        ),
    ]);
    let webarchive = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><dict>\
         <key>WebMainResource</key><dict><key>WebResourceData</key><data>{}</data>\
         <key>WebResourceMIMEType</key><string>text/html</string>\
         <key>WebResourceTextEncodingName</key><string>UTF-8</string>\
         <key>WebResourceURL</key><string>https://example.org/ferry</string></dict></dict></plist>",
        base64::engine::general_purpose::STANDARD.encode(page)
    );
    // WordPerfect 5.1: the prefix (mark, text offset 16, product, file type 0x0A a
    // document, version 5.1), then text with hard returns (0x0A).
    let mut wordperfect = b"\xFFWPC".to_vec();
    wordperfect.extend(16u32.to_le_bytes());
    wordperfect.extend([1, 0x0A, 0, 1, 0, 0, 0, 0]);
    wordperfect.extend(b"Ferry crews return\nCrews went back to the island ferries on Monday.\n");
    vec![
        ("ferry.msg".into(), outlook_message()),
        ("ferry.wp5".into(), wordperfect),
        ("ferry.warc".into(), warc_record.into_bytes()),
        ("harbour.rss".into(), rss.into()),
        ("harbour.atom".into(), atom.into()),
        ("ferry.eml".into(), eml.into()),
        ("desk.mbox".into(), mbox.into_bytes()),
        ("reut2-000.sgm".into(), sgml.into()),
        ("ferry.csv".into(), csv.into()),
        ("ferry.json".into(), json.into()),
        ("ferry.docx".into(), docx),
        ("ferry.odt".into(), odt),
        ("ferry.webarchive".into(), webarchive.into_bytes()),
    ]
}

/// An Outlook message as Outlook saves one: property streams named by tag, their
/// strings in UTF-16, in a compound file.
fn outlook_message() -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    for (tag, text) in [
        ("0037001F", "Ferry crews return"),
        ("0C1A001F", "Harbour Desk"),
        (
            "1000001F",
            "Crews went back to the island ferries on Monday.",
        ),
    ] {
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut stream = file
            .create_stream(format!("/__substg1.0_{tag}"))
            .expect("stream");
        stream.write_all(&utf16).expect("write");
    }
    let mut properties = file
        .create_stream("/__properties_version1.0")
        .expect("stream");
    properties.write_all(&[0; 32]).expect("write");
    drop(properties);
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

/// The sample's bytes as a one-file zip archive, a tar archive, and gzip, zstd
/// and bzip2 streams, each under its name: the archive and decompression readers
/// get damaged input too, and the reader inside gets what an archive with a bad
/// entry hands on.
fn packed(name: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let zip = zipped(&[(name, bytes)]);
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, name, bytes)
        .expect("tar entry");
    let tar = tar.into_inner().expect("tar finish");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("gzip write");
    let gz = gz.finish().expect("gzip finish");
    let zst = zstd::encode_all(bytes, 1).expect("zstd");
    let mut bz2 = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    bz2.write_all(bytes).expect("bzip2 write");
    let bz2 = bz2.finish().expect("bzip2 finish");
    vec![
        (format!("{name}.zip"), zip),
        (format!("{name}.tar"), tar),
        (format!("{name}.gz"), gz),
        (format!("{name}.zst"), zst),
        (format!("{name}.bz2"), bz2),
    ]
}

/// Reads the file at `path` as `index` would, with no sidecar tables or learned
/// boilerplate, handing each article to `emit`.
fn parse_path(path: PathBuf, emit: &mut Emit<'_>) -> news_search::Result<Vec<Warning>> {
    let file = SourceFile {
        key: path.display().to_string(),
        size: 0,
        stamp: 1,
        path,
    };
    parse_file(
        &file,
        &Limits::default(),
        &MetaTables::default(),
        &Boilerplate::default(),
        emit,
    )
}

/// Reads `bytes` as the file `name` in `dir`: how many articles it gave, or what
/// went wrong when the read panicked or did not end within [`PATIENCE`].
fn read(dir: &Path, name: &str, bytes: Vec<u8>) -> Result<usize, String> {
    let path = dir.join(name);
    std::fs::write(&path, &bytes).expect("write the copy");
    let (done, wait) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut articles = 0;
            let _ = parse_path(path, &mut |_| {
                articles += 1;
                Ok(())
            });
            articles
        }));
        let _ = done.send(outcome.ok());
    });
    match wait.recv_timeout(PATIENCE) {
        Ok(Some(articles)) => Ok(articles),
        Ok(None) => Err("panicked".to_string()),
        Err(_) => Err(format!("did not end in {PATIENCE:?}")),
    }
}

/// A sample: what a failure calls it, the file name it is read under, its bytes.
type Sample = (String, String, Vec<u8>);

/// The files under `dir` as samples, each under its own name.
fn samples_under(dir: &Path) -> Vec<Sample> {
    files_under(dir)
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let name = path.file_name()?.to_str()?.to_string();
            Some((path.display().to_string(), name, bytes))
        })
        .collect()
}

/// Reads `MUTANTS` damaged copies of each sample (and of its packed copies), and
/// fails naming each sample and mutation whose read panicked or stalled.
fn read_damaged_copies(samples: &[Sample]) {
    let work = tempfile::tempdir().expect("temporary directory");
    let per_sample = std::env::var("NEWS_FUZZ_MUTANTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(MUTANTS);
    let mut reads = 0;
    let mut failures = Vec::new();
    for (n, (label, name, bytes)) in samples.iter().enumerate() {
        let mut copies = vec![(name.clone(), bytes.clone())];
        copies.extend(packed(name, bytes));
        for (kind, (copy_name, copy)) in copies.iter().enumerate() {
            // The packed copies get fewer mutants: their inner reader is fuzzed above.
            let mutants = if kind == 0 {
                per_sample
            } else {
                per_sample / 8
            };
            for m in 0..mutants {
                let seed = (n as u64) << 32 | (kind as u64) << 16 | m;
                let damaged = mutate(copy, &mut Rng::new(seed));
                reads += 1;
                if let Err(why) = read(work.path(), copy_name, damaged) {
                    failures.push(format!(
                        "{label} as {copy_name}, mutation seed {seed:#x}: {why}"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {reads} damaged reads failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn damaged_copies_of_every_sample_file_are_read_without_a_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut samples = samples_under(&root.join("corpus"));
    samples.extend(samples_under(&root.join("tests/formats")));
    samples.extend(samples_under(&root.join("tests/pages")));
    assert!(
        samples.len() > 100,
        "the samples are missing: {}",
        samples.len()
    );
    let work = tempfile::tempdir().expect("temporary directory");
    for (name, bytes) in generated() {
        // Whole, each gives its article: the reader it is meant for takes it.
        assert_eq!(read(work.path(), &name, bytes.clone()), Ok(1), "{name}");
        samples.push((format!("generated {name}"), name, bytes));
    }
    read_damaged_copies(&samples);
}

#[test]
fn damaged_json_lines_on_standard_input_are_read_without_a_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lines =
        std::fs::read(root.join("corpus/feeds/wire.jsonl")).expect("the corpus's JSON Lines");
    for m in 0..MUTANTS * 4 {
        let damaged = mutate(&lines, &mut Rng::new(m));
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut emit = |_article| Ok(());
            parse_stdin(&damaged[..], &Limits::default(), &mut emit)
        }));
        assert!(
            matches!(outcome, Ok(Ok(_))),
            "mutation seed {m:#x}: {}",
            if outcome.is_err() {
                "panicked"
            } else {
                "an error, not warnings"
            }
        );
    }
}

#[test]
fn a_panic_while_a_file_is_read_costs_the_rest_of_that_file_only() {
    // No reader is known to panic (the one the fuzzing found, the WARC crate's
    // header lookup, is no longer called), so the panic comes from the caller's
    // side of the same stack: the second article handed on.
    let work = tempfile::tempdir().expect("temporary directory");
    let path = work.path().join("wire.jsonl");
    let lines: Vec<String> = (1..=3)
        .map(|n| format!(r#"{{"id":"w{n}","title":"Story {n}","body":"Text of story {n}."}}"#))
        .collect();
    std::fs::write(&path, lines.join("\n")).expect("write");
    let mut ids = Vec::new();
    let warnings = parse_path(path, &mut |article: Article| {
        assert!(
            ids.is_empty(),
            "a bug while the second article is handed on"
        );
        ids.push(article.id);
        Ok(())
    })
    .expect("the panic is a warning, not an error");
    assert_eq!(ids, ["w1"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let warning = warnings[0].to_string();
    assert_eq!(warnings[0].problem, Problem::ReaderFailed);
    assert!(
        warning.contains("wire.jsonl: skipped, reader failed: a bug while the second"),
        "{warning}"
    );
    assert!(warning.contains("please report it"), "{warning}");
}

#[test]
#[ignore = "needs ../shared/data/formats (the real archive files beside the project)"]
fn damaged_copies_of_the_shared_archive_files_are_read_without_a_crash() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let mut samples = samples_under(&shared.join("formats"));
    assert!(!samples.is_empty(), "no files in {}", shared.display());
    // One file of Reuters-21578 (a thousand SGML stories): the wire reader on
    // real input.
    samples.extend(
        samples_under(&shared.join("reuters21578"))
            .into_iter()
            .filter(|(_, name, _)| name == "reut2-000.sgm"),
    );
    read_damaged_copies(&samples);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Sidecar tables, the paths they are matched against and URL templates, as a
    /// user may write them (tabs, braces, stars, accents, numbers anywhere), never
    /// panic: a table is read or refused, a template filled or not.
    #[test]
    fn sidecar_tables_paths_and_templates_never_panic(
        table in r"(([a-c0-9*_é-]{0,4})(\t[a-zé{}0-9 -]{0,8}){0,5}\n){0,6}",
        path in r"([a-c0-9]{0,3}/){0,2}[a-c0-9é]{0,4}([_-]ed-[0-9]{1,2}[_-]seq-[0-9]{1,2})?(\.[a-z]{1,3})?",
        template in r"(\{ ?(key|date|stem|n[0-9]{0,2}|source|url|x|) ?\}|[a-z/{}é]){0,8}",
        body in "[A-Za-z0-9 ,.\n-]{0,80}",
    ) {
        let mut tables = MetaTables::default();
        let table = format!("source\turl\tdate\tn1\n{table}");
        let _ = tables.load(PathBuf::from("/archive"), &table);
        let key = format!("/archive/{path}");
        let defaults = tables.defaults_for(Path::new(&key)).unwrap_or_default();
        let _ = fill_template(&template, &defaults, &path, None);
        let mut article = Article { body, ..Article::default() };
        apply(&mut article, Some(&defaults), &path);
    }
}
