//! The layout of the chosen sheet that the annotated copy gives back: its column widths.
//! calamine reads values, not widths, so for .xlsx the `<cols>` element at the top of the
//! sheet's XML is read here (stopping at `<sheetData>`, so the cells are never parsed twice).
//! Other formats give no widths; the annotated copy then sizes columns by their text.

use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

/// The widest column Excel allows, in characters.
const MAX_WIDTH: f64 = 255.0;
/// The most bytes of workbook.xml or its relationships that are read.
const MAX_PART: u64 = 4 << 20;

/// The widths (in Excel's character units) of the columns of the worksheet named `sheet`
/// that set one, as (0-based column, width). Empty when the file says nothing or is laid
/// out unusually: widths are a courtesy, never a reason to fail.
pub(crate) fn xlsx_column_widths(bytes: &[u8], sheet: &str) -> Vec<(u32, f64)> {
    read_widths(bytes, sheet).unwrap_or_default()
}

fn read_widths(bytes: &[u8], sheet: &str) -> Option<Vec<(u32, f64)>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let workbook = read_part(&mut zip, "xl/workbook.xml")?;
    let rid = find_attr(
        &workbook,
        "sheet",
        |e| attr(e, "name").as_deref() == Some(sheet),
        "id",
    )?;
    let rels = read_part(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let target = find_attr(
        &rels,
        "Relationship",
        |e| attr(e, "Id").as_deref() == Some(rid.as_str()),
        "Target",
    )?;
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{target}"),
    };
    let part = zip.by_name(&path).ok()?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    xml.config_mut().expand_empty_elements = true;
    let mut widths = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "col" => {
                let number = |name| attr(&e, name).and_then(|v| v.parse::<u32>().ok());
                let (Some(min), Some(max)) = (number("min"), number("max")) else {
                    continue;
                };
                let Some(width) = attr(&e, "width").and_then(|v| v.parse::<f64>().ok()) else {
                    continue;
                };
                if !(width.is_finite() && width > 0.0) || min == 0 {
                    continue;
                }
                // A <col> may span the whole sheet (min 1, max 16384): only the columns a
                // list can use are kept.
                let last = max
                    .min(min.saturating_add(255))
                    .min(super::guard::MAX_COLUMNS);
                for c in min..=last {
                    widths.push((c - 1, width.min(MAX_WIDTH)));
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "sheetData" => return Some(widths),
            Event::Eof => return Some(widths),
            _ => {}
        }
    }
}

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    zip.by_name(name)
        .ok()?
        .take(MAX_PART)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// The attribute `name` (compared by local name, so `r:id` is `id`) of an element.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// The attribute `wanted` of the first `element` that `matches`.
fn find_attr(
    xml_bytes: &[u8],
    element: &str,
    matches: impl Fn(&BytesStart<'_>) -> bool,
    wanted: &str,
) -> Option<String> {
    let mut xml = quick_xml::Reader::from_reader(xml_bytes);
    xml.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == element && matches(&e) => {
                return attr(&e, wanted);
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}
