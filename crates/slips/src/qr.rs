//! QR codes of check-in codes, as a module grid (for the PDF) or an SVG (for the page).

use qrcode::{Color, EcLevel, QrCode};

/// The dark modules of `text`'s QR code, row by row, and the side length in modules. Level M
/// survives a creased or smudged slip; the codes are short, so the symbol stays small.
pub fn qr_modules(text: &str) -> (usize, Vec<bool>) {
    // A code of a few dozen ASCII characters always fits level M's largest versions, so the
    // encoder cannot fail on what the service hands it; fall back to level L all the same.
    let code = QrCode::with_error_correction_level(text, EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text, EcLevel::L));
    match code {
        Ok(code) => (
            code.width(),
            code.to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        ),
        Err(_) => (0, Vec::new()),
    }
}

/// An SVG of `text`'s QR code with a four-module quiet zone, one path, scaled by CSS.
pub fn qr_svg(text: &str) -> String {
    let (width, dark) = qr_modules(text);
    let side = width + 8;
    let mut path = String::new();
    for (index, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = (index % width + 4, index / width + 4);
        path.push_str(&format!("M{x} {y}h1v1h-1z"));
    }
    format!(
        "<svg viewBox=\"0 0 {side} {side}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"Mã QR\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_code_makes_a_small_square_symbol() {
        let (width, dark) = qr_modules("ABCDEFGHJK");
        assert_eq!(width, 21, "version 1 holds ten alphanumerics at level M");
        assert_eq!(dark.len(), width * width);
        assert!(dark[0], "the finder pattern's corner is dark");
    }

    #[test]
    fn the_svg_holds_no_link_only_the_modules() {
        let svg = qr_svg("ABCDEFGHJK");
        assert!(svg.starts_with("<svg"));
        assert!(!svg.contains("ABCDEFGHJK"));
        assert!(svg.contains("viewBox=\"0 0 29 29\""));
    }
}
