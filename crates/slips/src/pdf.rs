//! Slips as an A4 PDF: three to a page with dashed cut lines between them, text in DejaVu
//! Sans (embedded, subset to the glyphs used, so every Vietnamese diacritic prints whatever
//! fonts the printing machine has), the QR code drawn as vector squares.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

use crate::{Slip, WHAT_TO_BRING, code_for_print, qr_modules};

/// DejaVu Sans (Bitstream Vera licence, static/fonts/DejaVuSans-LICENSE.txt): it has every
/// precomposed Vietnamese letter, so NFC text needs no shaping.
const FONT: &[u8] = include_bytes!("../../../static/fonts/DejaVuSans.ttf");

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const SLIPS_PER_PAGE: usize = 3;
const MARGIN: f32 = 28.0;
const QR_SIDE: f32 = 112.0;
const FONT_NAME: Name<'static> = Name(b"F1");

/// Why a PDF could not be made (the embedded font did not parse or subset: a build defect,
/// never the user's input).
#[derive(Debug)]
pub struct SlipError(String);

impl std::fmt::Display for SlipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "không tạo được tệp PDF giấy mời: {}", self.0)
    }
}

impl std::error::Error for SlipError {}

/// The font's metrics and the glyphs the document used so far.
struct Font<'a> {
    face: ttf_parser::Face<'a>,
    scale: f32,
    used: BTreeMap<u16, char>,
}

impl<'a> Font<'a> {
    fn glyph(&self, c: char) -> u16 {
        self.face
            .glyph_index(c)
            .or_else(|| self.face.glyph_index('?'))
            .map_or(0, |g| g.0)
    }

    fn advance(&self, glyph: u16) -> f32 {
        f32::from(
            self.face
                .glyph_hor_advance(ttf_parser::GlyphId(glyph))
                .unwrap_or(0),
        ) * self.scale
    }

    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph(c)))
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// `text` as two-byte glyph ids (Identity-H), remembering the glyphs for the subset.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let glyph = self.glyph(c);
            self.used.entry(glyph).or_insert(c);
            out.extend_from_slice(&glyph.to_be_bytes());
        }
        out
    }

    /// Breaks `text` into lines no wider than `width` at `size`, at spaces.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && self.width(&candidate, size) > width {
                lines.push(std::mem::replace(&mut line, word.to_owned()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// Writes text lines downwards from a starting point.
struct Pen<'c, 'f, 'a> {
    content: &'c mut Content,
    font: &'f mut Font<'a>,
    x: f32,
    y: f32,
}

impl Pen<'_, '_, '_> {
    fn line(&mut self, text: &str, size: f32) {
        self.y -= size * 1.3;
        let encoded = self.font.encode(text);
        self.content
            .begin_text()
            .set_font(FONT_NAME, size)
            .next_line(self.x, self.y)
            .show(Str(&encoded))
            .end_text();
    }

    fn wrapped(&mut self, text: &str, size: f32, width: f32) {
        for line in self.font.wrap(text, size, width) {
            self.line(&line, size);
        }
    }
}

/// Renders the slips to an A4 PDF, three to a page, in the order given.
pub fn render_pdf(slips: &[Slip]) -> Result<Vec<u8>, SlipError> {
    let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| SlipError(e.to_string()))?;
    let scale = 1000.0 / f32::from(face.units_per_em());
    let mut font = Font {
        face,
        scale,
        used: BTreeMap::new(),
    };

    let mut alloc = Ref::new(1);
    let catalog_id = alloc.bump();
    let pages_id = alloc.bump();
    let font_id = alloc.bump();
    let cid_font_id = alloc.bump();
    let descriptor_id = alloc.bump();
    let font_file_id = alloc.bump();
    let cmap_id = alloc.bump();
    let mut pdf = Pdf::new();

    let page_count = slips.len().div_ceil(SLIPS_PER_PAGE).max(1);
    let mut page_ids = Vec::with_capacity(page_count);
    for page in 0..page_count {
        let page_id = alloc.bump();
        let content_id = alloc.bump();
        page_ids.push(page_id);
        let mut content = Content::new();
        let on_page = slips
            .iter()
            .skip(page * SLIPS_PER_PAGE)
            .take(SLIPS_PER_PAGE);
        let slot = PAGE_HEIGHT / SLIPS_PER_PAGE as f32;
        for (index, slip) in on_page.enumerate() {
            let top = PAGE_HEIGHT - slot * index as f32;
            draw_slip(&mut content, &mut font, slip, top);
            if index > 0 {
                cut_line(&mut content, top);
            }
        }
        let data = compress(&content.finish());
        pdf.stream(content_id, &data).filter(Filter::FlateDecode);
        let mut page_writer = pdf.page(page_id);
        page_writer
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(pages_id)
            .contents(content_id);
        page_writer.resources().fonts().pair(FONT_NAME, font_id);
        page_writer.finish();
    }
    pdf.catalog(catalog_id).pages(pages_id);
    pdf.pages(pages_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);

    write_font(
        &mut pdf,
        &font,
        [font_id, cid_font_id, descriptor_id, font_file_id, cmap_id],
    )?;
    Ok(pdf.finish())
}

fn compress(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// A dashed line across the page with a pair of scissors' worth of hint: where to cut.
fn cut_line(content: &mut Content, y: f32) {
    content
        .save_state()
        .set_stroke_gray(0.4)
        .set_line_width(0.6)
        .set_dash_pattern([6.0, 4.0], 0.0)
        .move_to(MARGIN / 2.0, y)
        .line_to(PAGE_WIDTH - MARGIN / 2.0, y)
        .stroke()
        .restore_state();
}

fn draw_slip(content: &mut Content, font: &mut Font, slip: &Slip, top: f32) {
    let text_width = PAGE_WIDTH - 2.0 * MARGIN - QR_SIDE - 16.0;
    {
        let mut pen = Pen {
            content: &mut *content,
            font: &mut *font,
            x: MARGIN,
            y: top - MARGIN + 6.0,
        };
        for line in &slip.heading {
            pen.line(line, 9.0);
        }
        pen.y -= 4.0;
        pen.line("GIẤY MỜI NHẬN QUÀ", 15.0);
        pen.y -= 2.0;
        pen.wrapped(&format!("Kính mời: {}", slip.recipient), 12.0, text_width);
        if let Some(address) = &slip.address {
            pen.wrapped(&format!("Địa chỉ: {address}"), 10.0, text_width);
        }
        for gift in &slip.gifts {
            pen.wrapped(&format!("Nhận: {gift}"), 10.0, text_width);
        }
        let place = slip.place.as_deref().unwrap_or("theo thông báo của phường");
        pen.wrapped(&format!("Địa điểm: {place}"), 10.0, text_width);
        let when = slip.when.as_deref().unwrap_or("theo thông báo của phường");
        pen.wrapped(&format!("Thời gian: {when}"), 10.0, text_width);
        pen.y -= 2.0;
        pen.wrapped(WHAT_TO_BRING, 8.5, text_width);
    }

    // The QR code, top right, with its code printed underneath for typing.
    let (modules, dark) = qr_modules(&slip.code);
    if modules > 0 {
        let module = QR_SIDE / modules as f32;
        let left = PAGE_WIDTH - MARGIN - QR_SIDE;
        let qr_top = top - MARGIN;
        content.save_state().set_fill_gray(0.0);
        for (index, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
            let (x, y) = (index % modules, index / modules);
            content.rect(
                left + x as f32 * module,
                qr_top - (y + 1) as f32 * module,
                module,
                module,
            );
        }
        content.fill_nonzero().restore_state();
        let printed = code_for_print(&slip.code);
        let size = 12.0;
        let width = font.width(&printed, size);
        let mut pen = Pen {
            content,
            font,
            x: left + (QR_SIDE - width) / 2.0,
            y: qr_top - QR_SIDE - 4.0,
        };
        pen.line(&printed, size);
        let hint = "Mã nhận quà";
        pen.x = left + (QR_SIDE - pen.font.width(hint, 8.0)) / 2.0;
        pen.line(hint, 8.0);
    }
}

/// The Type 0 font with its CID font, descriptor, subset TrueType file and ToUnicode map
/// (so text copied from the PDF, and searches in it, read as Vietnamese).
fn write_font(pdf: &mut Pdf, font: &Font, ids: [Ref; 5]) -> Result<(), SlipError> {
    let [font_id, cid_font_id, descriptor_id, font_file_id, cmap_id] = ids;
    let base = Name(b"AAAAAA+DejaVuSans");
    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(font_id)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font_id)
        .to_unicode(cmap_id);

    let mut cid = pdf.cid_font(cid_font_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(system_info)
        .font_descriptor(descriptor_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    {
        let mut widths = cid.widths();
        for &glyph in font.used.keys() {
            widths.consecutive(glyph, [font.advance(glyph)]);
        }
    }
    cid.finish();

    let face = &font.face;
    let bbox = face.global_bounding_box();
    let s = font.scale;
    pdf.font_descriptor(descriptor_id)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            f32::from(bbox.x_min) * s,
            f32::from(bbox.y_min) * s,
            f32::from(bbox.x_max) * s,
            f32::from(bbox.y_max) * s,
        ))
        .italic_angle(0.0)
        .ascent(f32::from(face.ascender()) * s)
        .descent(f32::from(face.descender()) * s)
        .cap_height(f32::from(face.capital_height().unwrap_or(face.ascender())) * s)
        .stem_v(80.0)
        .font_file2(font_file_id);

    let glyphs: Vec<u16> = font.used.keys().copied().collect();
    let subset = subsetter::subset(FONT, 0, subsetter::Profile::pdf(&glyphs))
        .map_err(|e| SlipError(format!("{e:?}")))?;
    let data = compress(&subset);
    pdf.stream(font_file_id, &data)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);

    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system_info);
    for (&glyph, &c) in &font.used {
        cmap.pair(glyph, c);
    }
    pdf.stream(cmap_id, &cmap.finish());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(code: &str) -> Slip {
        Slip {
            heading: vec!["ỦY BAN NHÂN DÂN".into(), "PHƯỜNG BẾN THÀNH".into()],
            recipient: "Nguyễn Thị Ánh Tuyết".into(),
            address: Some("12 Lê Lợi, khu phố 3".into()),
            gifts: vec!["Quà Tết hộ nghèo: 1.200.000 đ".into()],
            place: Some("Nhà văn hóa khu phố 3".into()),
            when: Some("24/01/2026, 08:00–10:00".into()),
            code: code.into(),
        }
    }

    #[test]
    fn seven_slips_make_three_pages_with_the_font_embedded_and_subset() {
        let slips: Vec<Slip> = (0..7).map(|i| slip(&format!("ABCDEFGH{i:02}"))).collect();
        let bytes = render_pdf(&slips).expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches("/Type /Page\n").count(), 3, "three A4 pages");
        assert!(text.contains("/FontFile2"));
        assert!(
            bytes.len() < 200_000,
            "the font is subset, not the whole 740 kB file: {} bytes",
            bytes.len()
        );
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let face = ttf_parser::Face::parse(FONT, 0).expect("font");
        let scale = 1000.0 / f32::from(face.units_per_em());
        let font = Font {
            face,
            scale,
            used: BTreeMap::new(),
        };
        let lines = font.wrap(WHAT_TO_BRING, 10.0, 200.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| font.width(l, 10.0) <= 200.0));
        assert_eq!(
            lines.join(" "),
            WHAT_TO_BRING
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
}
