//! A folder of hostile inputs: every one is skipped (or read within limits) with a
//! warning naming it, nothing panics or hangs, and the good articles around them
//! are all indexed. `NEWS_SEARCH_BIG_MB` sets the size of the single-line file
//! (200 MB by default, as the issue asks).

use std::io::Write;
use std::time::Duration;

use crate::support::Test;

/// Writes the hostile folder; returns how many good articles it holds.
pub fn hostile_folder(t: &Test) -> usize {
    let big_mb: usize = std::env::var("NEWS_SEARCH_BIG_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut good = 0;
    let put = |name: &str, data: &[u8]| {
        let path = t.path(&format!("hostile/{name}"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    };
    for n in 0..5 {
        put(
            &format!("good/{n}.txt"),
            format!("Good article {n}\n\nsturdy{n} text that must be indexed").as_bytes(),
        );
        good += 1;
    }
    put(
        "invalid-utf8.txt",
        b"Bad bytes \xff\xfe here\n\nbody \xc3\x28 goodutf",
    );
    good += 1;
    put("binary.txt", b"\x7fELF\x00\x00\x01\x02binary");
    put("empty.txt", b"");
    put("zero.gz", b"");
    let gz = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all("Truncated gzip story\n\n".repeat(2000).as_bytes())
            .unwrap();
        e.finish().unwrap()
    };
    put("truncated.txt.gz", &gz[..gz.len() / 2]);
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    put(
        "mixed.jsonl",
        format!("{{\"title\":\"Line one fine\",\"body\":\"okay\"}}\n{deep}\n{{broken\n{{\"title\":\"Line four fine\",\"body\":\"okay\"}}\n").as_bytes(),
    );
    good += 2;
    let mut big = b"headword ".to_vec();
    big.resize(big_mb * 1024 * 1024, b'x');
    big.extend_from_slice(b" tail");
    put("huge-one-line.txt", &big);
    drop(big);
    good += 1;
    put(
        "long-word.txt",
        format!(
            "Long word story\n\n{} then normal words",
            "w".repeat(100_000)
        )
        .as_bytes(),
    );
    good += 1;
    put(
        "deep.html",
        format!(
            "<html><head><title>Deep page</title></head><body>{}deepmarker{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        )
        .as_bytes(),
    );
    good += 1;
    // RTF nested a million deep, then a `\bin` that claims more bytes than
    // there are: read without recursion, its word found.
    put(
        "deep.rtf",
        format!(
            "{{\\rtf1 Deep rich text\\par {}rtfmarker{} \\bin999999999 ",
            "{".repeat(1_000_000),
            "}".repeat(1_000_000)
        )
        .as_bytes(),
    );
    good += 1;
    let bomb = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..1024 {
            e.write_all(&zeros).unwrap();
        }
        e.finish().unwrap()
    };
    put("bomb.txt.gz", &bomb);
    let zip_bomb = {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file("zeros.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        let zeros = vec![b' '; 1024 * 1024];
        for _ in 0..1024 {
            w.write_all(&zeros).unwrap();
        }
        w.finish().unwrap().into_inner()
    };
    put("bomb.zip", &zip_bomb);
    let docx_bomb = {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(b"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>")
            .unwrap();
        let filler = vec![b'a'; 1024 * 1024];
        for _ in 0..16 {
            w.write_all(&filler).unwrap();
        }
        w.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
            .unwrap();
        w.finish().unwrap().into_inner()
    };
    put("bomb.docx", &docx_bomb);
    // A good row, then a quote never closed: the rest is one runaway row.
    let mut runaway = b"title,body\nCsv row fine,okay\nBad,\"never closed ".to_vec();
    runaway.resize(70 * 1024 * 1024, b'x');
    put("runaway.csv", &runaway);
    drop(runaway);
    good += 1;
    let warc = "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:x>\r\nContent-Length: 99999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<title>x</title>\r\n\r\n";
    put("wrong-length.warc", warc.as_bytes());
    #[cfg(unix)]
    {
        let dir = t.path("hostile");
        std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
        std::os::unix::fs::symlink(dir.join("nowhere.txt"), dir.join("dangling.txt")).unwrap();
        let fifo = dir.join("pipe.txt");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(status.is_ok_and(|s| s.success()), "mkfifo");
    }
    good
}

#[test]
fn hostile_inputs_are_named_counted_and_survived() {
    let t = Test::new();
    let good = hostile_folder(&t);
    let run = t.run_within(["index", "hostile"], Duration::from_secs(300));
    run.success();
    let err = run.stderr_text();
    for (file, reason) in [
        ("binary.txt", "binary"),
        ("empty.txt", "empty"),
        ("zero.gz", "empty"),
        ("truncated.txt.gz", "corrupt or truncated"),
        ("mixed.jsonl:2", "invalid JSON"),
        ("mixed.jsonl:3", "invalid JSON"),
        ("bomb.txt.gz", "over the decompression limits"),
        ("bomb.zip!/zeros.txt", "over the decompression limits"),
        ("bomb.docx", "over the decompression limits"),
        ("runaway.csv:3", "an unclosed quote?"),
        ("wrong-length.warc:1", "invalid WARC record"),
        ("hostile/loop", "unreadable"),
        ("huge-one-line.txt", "truncated to the record size limit"),
        ("dangling.txt", "unreadable"),
        ("pipe.txt", "not a regular file"),
        ("invalid-utf8.txt", "not UTF-8"),
        ("deep.html", "deepest levels read without their structure"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(reason)),
            "no warning naming {file} ({reason}):\n{err}"
        );
    }
    assert!(err.contains(&format!("indexed {good} articles")), "{err}");
    for n in 0..5 {
        assert_eq!(t.count(&format!("sturdy{n}")), 1);
    }
    assert_eq!(t.count("goodutf"), 1);
    assert_eq!(t.count("deepmarker"), 1);
    assert_eq!(t.count("rtfmarker"), 1);
    assert_eq!(
        t.count("headword"),
        1,
        "the single-line file is indexed, cut to the record limit"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("huge-one-line.txt") && l.contains("truncated")),
        "{err}"
    );
}
