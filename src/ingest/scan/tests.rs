use super::*;

fn run(input: &[u8]) -> (Vec<String>, Vec<String>, Option<Shape>) {
    let mut s = Scanner::new(input);
    let mut els = Vec::new();
    let mut issues = Vec::new();
    loop {
        match s.next_step() {
            Step::Element(e) => els.push(String::from_utf8_lossy(s.bytes(&e)).into_owned()),
            Step::Broken { location, reason } => issues.push(format!(
                "broken@{}:{} {reason}",
                location.line, location.column
            )),
            Step::Warning { location, reason } => issues.push(format!(
                "warn@{}:{} {reason}",
                location.line, location.column
            )),
            Step::NotJson { first_byte } => issues.push(format!("notjson {first_byte:#x}")),
            Step::TextBeforeRecords {
                location,
                first_byte,
            } => issues.push(format!(
                "text@{}:{} {first_byte:#x}",
                location.line, location.column
            )),
            Step::End => break,
        }
    }
    (els, issues, s.shape())
}

#[test]
fn records_envelope() {
    let (els, issues, shape) = run(br#"{"Records":[{"a":1},{"b":[1,2,{"c":"x}"}]}]}"#);
    assert_eq!(els, vec![r#"{"a":1}"#, r#"{"b":[1,2,{"c":"x}"}]}"#]);
    assert!(issues.is_empty());
    assert_eq!(shape, Some(Shape::Envelope("Records")));
}

#[test]
fn envelope_key_not_first() {
    let (els, _, shape) =
        run(br#"{"NextToken":"x","Events":[{"CloudTrailEvent":"{}"}],"more":{"a":[1]}}"#);
    assert_eq!(els, vec![r#"{"CloudTrailEvent":"{}"}"#]);
    assert_eq!(shape, Some(Shape::Envelope("Events")));
}

#[test]
fn json_lines_with_bad_line() {
    let (els, issues, shape) = run(b"{\"a\":1}\n{\"b\": \"unterminated\n\n{\"c\":3}\r\n");
    assert_eq!(shape, Some(Shape::JsonLines));
    assert_eq!(
        els,
        vec!["{\"a\":1}", "{\"b\": \"unterminated", "{\"c\":3}"]
    );
    assert!(issues.is_empty());
}

#[test]
fn concatenated_pretty_objects() {
    let (els, _, shape) = run(b"{\n \"a\": 1\n}\n{\n \"b\": 2\n}");
    assert_eq!(shape, Some(Shape::Concatenated));
    assert_eq!(els.len(), 2);
}

#[test]
fn bare_array() {
    let (els, _, shape) = run(b"[ {\"a\":1} , {\"a\":2} ]");
    assert_eq!(shape, Some(Shape::Array));
    assert_eq!(els, vec!["{\"a\":1}", "{\"a\":2}"]);
}

#[test]
fn missing_comma_is_a_warning_not_a_loss() {
    let (els, issues, _) = run(b"{\"Records\":[\n{\"a\":1}\n{\"a\":2}\n]}");
    assert_eq!(els.len(), 2);
    assert_eq!(
        issues,
        vec!["warn@3:1 missing ',' between records (read on as if it were there)"]
    );
}

#[test]
fn truncated_envelope_reports_cut_record() {
    let (els, issues, _) = run(b"{\"Records\":[{\"a\":1},\n{\"a\":");
    assert_eq!(els, vec!["{\"a\":1}"]);
    assert_eq!(
        issues,
        vec!["broken@2:1 record cut off where the data ends (truncated file)"]
    );
}

#[test]
fn an_unclosed_record_costs_itself_only() {
    // A missing bracket swallows what follows up to the end; reading resumes on the next line.
    let (els, issues, _) = run(b"[{\"a\":1},\n{\"t\": {\"x\": [1,2,\n,{\"b\":2},{\"c\":3}]\n");
    assert_eq!(els, vec!["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"]);
    assert_eq!(
        issues,
        vec![
            "broken@2:1 record never closes (an unterminated string or a missing bracket); \
              read on from the next line that starts a record"
        ]
    );
    // An unterminated string ends at its line break; the record on the next line loads.
    let (els, issues, _) = run(b"{\"v\":\"1\",\"eventTi\n{\"b\":2}\n{\"c\":3}\n");
    assert_eq!(els, vec!["{\"b\":2}", "{\"c\":3}"]);
    assert_eq!(
        issues,
        vec!["broken@1:18 malformed JSON: line break inside a string (unterminated string?)"]
    );
}

#[test]
fn a_missing_bracket_found_lines_later_costs_only_its_record() {
    // Record 2 lacks its closing brace; the brackets stop matching only at the final `]`.
    let input = b"{\"Records\":[\n{\"a\":1},\n{\"b\":{\"x\":2},\n{\"c\":3},\n{\"d\":4}\n]}";
    let (els, issues, _) = run(input);
    assert_eq!(els, vec!["{\"a\":1}", "{\"c\":3}", "{\"d\":4}"]);
    assert_eq!(
        issues,
        vec!["broken@6:1 malformed JSON: brackets do not match"]
    );
}

#[test]
fn not_json() {
    let (els, issues, _) = run(b"\x00\x00\x00");
    assert!(els.is_empty());
    assert_eq!(issues, vec!["notjson 0x0"]);
}

#[test]
fn text_before_records_is_stepped_over_when_a_record_line_follows() {
    let (els, issues, shape) = run(b"# exported 2024-07-08\nsecond line\n  {\"a\":1}\n{\"b\":2}\n");
    assert_eq!(els, vec!["{\"a\":1}", "{\"b\":2}"]);
    assert_eq!(issues, vec!["text@1:1 0x23"]);
    assert_eq!(shape, Some(Shape::JsonLines));
    // Text with no record line soon after is no log at all.
    let mut text = b"hello\n".repeat(20_000);
    text.extend(b"{\"a\":1}\n");
    let (els, issues, _) = run(&text);
    assert!(els.is_empty());
    assert_eq!(issues, vec!["notjson 0x68"]);
}

#[test]
fn whitespace_only_is_empty() {
    let (els, issues, shape) = run(b"   \n\n  ");
    assert!(els.is_empty() && issues.is_empty() && shape.is_none());
}

#[test]
fn deep_nesting_is_delimited_without_recursion() {
    let mut v = Vec::new();
    v.extend(std::iter::repeat_n(b'[', 10_000));
    v.extend(std::iter::repeat_n(b']', 10_000));
    let mut input = b"{\"x\":".to_vec();
    input.extend(&v);
    input.extend(b"}\n{\"y\":1}\n");
    let (els, issues, _) = run(&input);
    assert_eq!(els.len(), 2);
    assert!(issues.is_empty());
}

#[test]
fn mismatched_brackets_resync_to_next_record() {
    let (els, issues, _) = run(b"[\n{\"a\":[1}\n,{\"b\":2}\n]");
    assert_eq!(els, vec!["{\"b\":2}"]);
    assert_eq!(
        issues,
        vec!["broken@2:8 malformed JSON: brackets do not match"]
    );
}

#[test]
fn long_line_across_chunks() {
    let big = "x".repeat(3 * CHUNK + 17);
    let input = format!("{{\"a\":\"{big}\"}}\n{{\"b\":1}}\n");
    let (els, _, _) = run(input.as_bytes());
    assert_eq!(els.len(), 2);
    assert_eq!(els[0].len(), big.len() + 8);
}

/// Elements of content held whole, with their text as the scanner hands it out.
fn whole_texts(input: &[u8]) -> Vec<(String, Option<String>)> {
    let mut s = Scanner::whole(std::io::empty(), input.to_vec());
    let mut out = Vec::new();
    while let Step::Element(e) = s.next_step() {
        out.push((
            String::from_utf8_lossy(s.bytes(&e)).into_owned(),
            s.text(&e).map(str::to_owned),
        ));
    }
    out
}

#[test]
fn whole_utf8_content_hands_out_text_of_each_element() {
    let els = whole_texts("{\"a\":\"é\"}\n{\"b\":2}\n".as_bytes());
    assert_eq!(
        els,
        vec![
            ("{\"a\":\"é\"}".to_owned(), Some("{\"a\":\"é\"}".to_owned())),
            ("{\"b\":2}".to_owned(), Some("{\"b\":2}".to_owned())),
        ]
    );
}

#[test]
fn whole_content_with_invalid_utf8_hands_out_bytes_only() {
    let els = whole_texts(b"{\"a\":\"\xff\"}\n{\"b\":2}\n");
    assert_eq!(els.len(), 2);
    assert!(els.iter().all(|(_, text)| text.is_none()));
}

#[test]
fn streamed_content_hands_out_bytes_only() {
    let mut s = Scanner::new(&b"{\"b\":2}\n"[..]);
    let Step::Element(e) = s.next_step() else {
        panic!("expected an element");
    };
    assert_eq!(s.bytes(&e), b"{\"b\":2}");
    assert_eq!(s.text(&e), None);
}

#[test]
fn a_pretty_printed_record_among_json_lines_is_one_record() {
    let pretty = "{\n  \"b\": [\n    {\"c\": \"}\"},\n    {\n      \"d\": 2\n    }\n  ]\n}";
    let input = format!("{{\"a\":1}}\n{pretty}  \n{{\"e\":3}}\n");
    let (els, issues, shape) = run(input.as_bytes());
    assert_eq!(shape, Some(Shape::JsonLines));
    assert_eq!(els, vec!["{\"a\":1}", pretty, "{\"e\":3}"]);
    assert!(issues.is_empty(), "{issues:?}");
}

#[test]
fn a_record_line_left_open_does_not_swallow_the_lines_after_it() {
    // Left open, a record must not take the records after it; `{` on the next line, indented no
    // deeper than the open one, starts the next record.
    let input =
        "{\"a\":1}\n{\"b\": [1,\n{\"c\":2}\n  {\"d\": {\n{\"e\":3}\n{\"f\":4} junk\n{\"g\":5}";
    let (els, _, shape) = run(input.as_bytes());
    assert_eq!(shape, Some(Shape::JsonLines));
    assert_eq!(
        els,
        vec![
            "{\"a\":1}",
            "{\"b\": [1,",
            "{\"c\":2}",
            "{\"d\": {",
            "{\"e\":3}",
            "{\"f\":4} junk",
            "{\"g\":5}"
        ]
    );
}

#[test]
fn a_pretty_printed_record_across_chunks_keeps_its_line_numbers() {
    let filler: String = (0..CHUNK / 10)
        .map(|i| format!("{{\"n\":{i}}}\n"))
        .collect();
    let pretty = format!("{{\n  \"big\": \"{}\"\n}}", "x".repeat(2 * CHUNK));
    let input = format!("{filler}{pretty}\n{{\"after\":1}}\n");
    let mut s = Scanner::new(input.as_bytes());
    let mut lines = Vec::new();
    let mut lens = Vec::new();
    while let Step::Element(e) = s.next_step() {
        lines.push(e.location.line);
        lens.push(e.end - e.start);
    }
    let records = CHUNK / 10;
    assert_eq!(lines.len(), records + 2);
    assert_eq!(lens[records], pretty.len());
    assert_eq!(lines[records], records as u64 + 1);
    assert_eq!(
        lines[records + 1],
        records as u64 + 4,
        "line of the record after it"
    );
}

#[test]
fn lines_left_open_stop_being_read_across_lines_after_a_few() {
    // Open lines at the margin, records indented below them: no line ends a lookahead, so each
    // would read to the end of the file; after a few, open lines are taken as they are.
    let mut input = String::from("{\"a\":1}\n");
    for i in 0..2 * delimit::MAX_LINES_LEFT_OPEN {
        input.push_str(&format!("{{\"open\": [{i},\n  {{\"n\": {i}}}\n"));
    }
    let mut s = Scanner::new(input.as_bytes());
    let mut elements = 0;
    while let Step::Element(_) = s.next_step() {
        elements += 1;
    }
    assert_eq!(elements, 4 * delimit::MAX_LINES_LEFT_OPEN + 1);
    assert_eq!(s.lines_left_open, delimit::MAX_LINES_LEFT_OPEN);
}

#[test]
fn a_record_across_lines_is_looked_for_within_a_bound() {
    let big = "x".repeat(delimit::MAX_RECORD_ACROSS_LINES);
    let input = format!("{{\"a\":1}}\n{{\n  \"big\": \"{big}\"\n}}\n{{\"b\":2}}\n");
    let (els, _, _) = run(input.as_bytes());
    assert_eq!(els.len(), 5, "the record's lines are read one by one");
    assert_eq!(els[4], "{\"b\":2}");
}
