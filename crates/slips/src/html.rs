//! Slips as one printable HTML page: the same slips as the PDF, for printing straight from
//! the browser. The print stylesheet puts three slips on an A4 sheet with dashed cut lines;
//! on screen they stack, readable on a phone.

use crate::{Slip, WHAT_TO_BRING, code_for_print, qr_svg};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
body{font-family:'DejaVu Sans',Arial,sans-serif;margin:0;padding:8px;color:#000;background:#fff}\
.toolbar{margin:0 0 12px}\
.toolbar button{min-height:44px;padding:0 16px;font-size:16px}\
.slip{display:flex;gap:12px;justify-content:space-between;border-bottom:1px dashed #666;\
padding:12px 4px;page-break-inside:avoid;break-inside:avoid}\
.slip .text{flex:1;min-width:0;overflow-wrap:anywhere}\
.slip .heading{font-size:12px;margin:0}\
.slip h2{font-size:20px;margin:6px 0}\
.slip p{margin:2px 0;font-size:15px}\
.slip .bring{font-size:12px;margin-top:6px}\
.slip .qr{width:120px;flex:none;text-align:center}\
.slip .qr svg{width:120px;height:120px;display:block}\
.slip .code{font-size:18px;font-family:'DejaVu Sans Mono',monospace;letter-spacing:1px}\
@page{size:A4;margin:10mm}\
@media print{.toolbar{display:none}body{padding:0}\
.slip{height:89mm;box-sizing:border-box;padding:6mm 2mm}\
.slip:nth-of-type(3n){page-break-after:always;break-after:page;border-bottom:none}}";

/// The slips as a complete HTML page titled `title`, with a print button.
pub fn render_html(title: &str, slips: &[Slip]) -> String {
    let mut out = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>\
         <div class=\"toolbar\"><button type=\"button\" onclick=\"window.print()\">In giấy mời\
         </button> {} giấy mời</div>",
        escape(title),
        slips.len()
    );
    for slip in slips {
        out.push_str("<section class=\"slip\"><div class=\"text\">");
        for line in &slip.heading {
            out.push_str(&format!("<p class=\"heading\">{}</p>", escape(line)));
        }
        out.push_str("<h2>GIẤY MỜI NHẬN QUÀ</h2>");
        out.push_str(&format!(
            "<p>Kính mời: <strong>{}</strong></p>",
            escape(&slip.recipient)
        ));
        if let Some(address) = &slip.address {
            out.push_str(&format!("<p>Địa chỉ: {}</p>", escape(address)));
        }
        for gift in &slip.gifts {
            out.push_str(&format!("<p>Nhận: {}</p>", escape(gift)));
        }
        let unset = "theo thông báo của phường";
        out.push_str(&format!(
            "<p>Địa điểm: {}</p><p>Thời gian: {}</p><p class=\"bring\">{}</p></div>",
            escape(slip.place.as_deref().unwrap_or(unset)),
            escape(slip.when.as_deref().unwrap_or(unset)),
            escape(WHAT_TO_BRING)
        ));
        out.push_str(&format!(
            "<div class=\"qr\">{}<div class=\"code\">{}</div><small>Mã nhận quà</small></div>\
             </section>",
            qr_svg(&slip.code),
            escape(&code_for_print(&slip.code))
        ));
    }
    out.push_str("</body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_each_slip_has_its_code() {
        let slip = Slip {
            heading: vec!["PHƯỜNG BẾN THÀNH".into()],
            recipient: "Lê <Thị> Hoa".into(),
            address: None,
            gifts: vec!["Quà Tết: 500.000 đ".into()],
            place: None,
            when: None,
            code: "ABCDEFGHJK".into(),
        };
        let page = render_html("Giấy mời", &[slip]);
        assert!(page.contains("Lê &lt;Thị&gt; Hoa"));
        assert!(page.contains("ABCDE-FGHJK"));
        assert!(page.contains("@media print"));
    }
}
