//! The all-wards workbook writes its ward sheets in constant memory: rows go to a temporary
//! file as soon as the next row starts, so a cell written, or formatted, after its row is
//! gone would be dropped without an error. These tests hold the constant-memory sheet to
//! the in-memory one the single ward's workbook writes, cell for cell, row for row and
//! setting for setting.

use quick_xml::events::Event;

use super::*;
use crate::export::signing_sheet::{prepare, write_sheet};
use crate::export::style::Styles;

/// A sheet that uses every part of the layout: a "Phường cũ" column, quoted user text, a
/// category whose name needs the prefix, rows without year, gender or ID, a long address
/// that makes its row taller, names under the signatures, a reference line and the
/// "DỰ THẢO" page header of an unapproved list.
fn every_feature() -> SigningSheet {
    let mut sheet = long_binh();
    sheet.approved = false;
    sheet.categories.push(Category {
        id: 9,
        name: "-Khác (theo đề nghị của khu phố)".into(),
        sort_order: 5,
        sensitive: false,
    });
    sheet.entries[0].former_ward = Some("Long Thạnh Mỹ".into());
    sheet.entries[1].address =
        "123/45/6 Đường Lã Xuân Oai, Khu phố 3, Phường Long Trường, Quận 9".into();
    sheet.entries[2].quarter = "=KP 4".into();
    let mut other = sheet.entries[4].clone();
    other.entry_id = 901;
    other.category_id = 9;
    other.full_name = "Nguyễn Thị Khác".into();
    sheet.entries.push(other);
    sheet.signers.accountant = Some("Lê Thị Toán".into());
    sheet
}

/// Shared strings of a workbook, in index order (each `<si>`'s text runs joined).
fn shared_strings(bytes: &[u8]) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("xlsx is a zip");
    if archive.by_name("xl/sharedStrings.xml").is_err() {
        return Vec::new();
    }
    let xml = unzip(bytes, "xl/sharedStrings.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut strings = Vec::new();
    let mut in_text = false;
    loop {
        match reader.read_event().expect("shared strings parse") {
            Event::Start(e) if e.local_name().as_ref() == "si" => strings.push(String::new()),
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == "t" => in_text = false,
            Event::Text(t) if in_text => {
                if let Some(last) = strings.last_mut() {
                    last.push_str(&t);
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(last) = strings.last_mut() {
                    last.push_str(&format!("&{};", &*r));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    strings
}

/// An element's name and attributes, sorted, as one line; left out: `tabSelected` (only the
/// workbook's first sheet is selected) and a row's `spans` (a hint of the columns a row
/// uses, which a constant-memory sheet does not give; readers work it out).
fn element_line(e: &quick_xml::events::BytesStart) -> String {
    let mut attrs: Vec<String> = e
        .attributes()
        .map(|a| a.expect("attribute"))
        .filter(|a| !matches!(a.key.as_ref(), "tabSelected" | "spans"))
        .map(|a| format!("{}={}", a.key.as_ref(), a.value))
        .collect();
    attrs.sort();
    format!("<{} {}>", e.name().as_ref(), attrs.join(" "))
}

/// A worksheet's XML as lines that do not depend on how its text is stored: a cell is one
/// line with its reference, style index, formula and value, text cells as `str` whether
/// the value is a shared string (looked up in `shared`) or inline; every other element is
/// a line of its name and attributes, and its text.
fn canonical_sheet(xml: &str, shared: &[String]) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut lines = Vec::new();
    // Inside a cell: its attributes, and the text of its <v>, <f> and <is><t>.
    let mut cell: Option<(String, String, String)> = None;
    let (mut value, mut formula, mut inline) = (String::new(), String::new(), String::new());
    let mut part = "";
    loop {
        let event = reader.read_event().expect("sheet parse");
        match (&event, cell.is_some()) {
            (Event::Start(e), false) if e.local_name().as_ref() == "c" => {
                let get = |key: &str| {
                    e.attributes()
                        .map(|a| a.expect("attribute"))
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default()
                };
                cell = Some((get("r"), get("s"), get("t")));
                (value, formula, inline) = (String::new(), String::new(), String::new());
            }
            (Event::Start(e), true) => {
                part = match e.local_name().as_ref() {
                    "v" => "v",
                    "f" => "f",
                    "t" => "t",
                    _ => part,
                }
            }
            (Event::Text(_) | Event::GeneralRef(_), true) => {
                let text = match &event {
                    Event::Text(t) => t.to_string(),
                    Event::GeneralRef(r) => format!("&{};", &**r),
                    _ => String::new(),
                };
                match part {
                    "v" => value.push_str(&text),
                    "f" => formula.push_str(&text),
                    "t" => inline.push_str(&text),
                    _ => {}
                }
            }
            (Event::End(e), true) if e.local_name().as_ref() == "c" => {
                let Some((reference, style, kind)) = cell.take() else {
                    unreachable!("inside a cell")
                };
                let (kind, value) = match kind.as_str() {
                    "s" => {
                        let index: usize = value.parse().expect("shared string index");
                        ("str".to_owned(), shared[index].clone())
                    }
                    "inlineStr" => ("str".to_owned(), inline.clone()),
                    _ => (kind, value.clone()),
                };
                lines.push(format!(
                    "cell {reference} s={style} {kind} f={formula} v={value}"
                ));
                part = "";
            }
            (Event::End(_), true) => part = "",
            (Event::Start(e), false) => lines.push(element_line(e)),
            (Event::End(e), false) => {
                lines.push(format!("</{}>", e.name().as_ref()));
            }
            (Event::Text(t), false) => {
                let text = t.trim().to_owned();
                if !text.is_empty() {
                    lines.push(format!("text {text}"));
                }
            }
            (Event::GeneralRef(r), false) => {
                lines.push(format!("ref {}", &**r));
            }
            (Event::Eof, _) => break,
            _ => {}
        }
    }
    lines
}

#[test]
fn a_ward_sheet_in_constant_memory_is_the_in_memory_sheet_cell_for_cell() {
    let sheet = every_feature();
    let prepared = prepare(&sheet).expect("prepared");
    // Both kinds of sheet in one workbook, so equal formats get equal style indices.
    let mut workbook = new_workbook();
    let styles = Styles::install(&mut workbook).expect("styles");
    write_sheet(workbook.add_worksheet(), &prepared, &styles).expect("in memory");
    let constant = workbook
        .add_worksheet_with_constant_memory()
        .expect("temporary file");
    write_sheet(constant, &prepared, &styles).expect("constant memory");
    let bytes = workbook.save_to_buffer().expect("saved");

    let in_memory = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let streamed = unzip(&bytes, "xl/worksheets/sheet2.xml");
    assert!(streamed.contains("t=\"inlineStr\""), "text stored inline");
    assert!(!in_memory.contains("t=\"inlineStr\""), "text stored shared");
    let shared = shared_strings(&bytes);
    let expected = canonical_sheet(&in_memory, &shared);
    let got = canonical_sheet(&streamed, &shared);
    for (line, (want, have)) in expected.iter().zip(&got).enumerate() {
        assert_eq!(want, have, "line {line} of the canonical sheet");
    }
    assert_eq!(expected.len(), got.len());
    // What the layout must have produced, so the comparison is not of two empty sheets.
    let joined = expected.join("\n");
    for needle in [
        "<mergeCell ref=A1:E1>",
        "<pane ",
        "<pageSetup ",
        "text 12DỰ THẢO",
        "v=Long Thạnh Mỹ",
        "v=-Khác (theo đề nghị của khu phố)",
        "v=Lê Thị Toán",
        "<col ",
        "customHeight=1",
    ] {
        assert!(joined.contains(needle), "{needle} missing");
    }

    // And every reader sees the same values.
    let sheets = read_back(&bytes);
    assert_eq!(sheets[0].1, sheets[1].1);
}

#[test]
fn the_all_wards_workbook_holds_each_ward_as_its_own_signing_sheet_does() {
    let first = every_feature();
    let mut second = long_binh();
    second.ward = "Phường Tăng Nhơn Phú".into();
    let all = read_back(&write_all_wards_workbook(&[first.clone(), second.clone()]).expect("all"));
    for (index, sheet) in [first, second].iter().enumerate() {
        let single = read_back(&write_signing_sheet(sheet).expect("single"));
        assert_eq!(all[index + 1].0, single[0].0);
        assert_eq!(all[index + 1].1, single[0].1, "{}", sheet.ward);
    }
}
