//! The QR codes on a printed slip read back: the PDF is rendered to images by poppler's
//! `pdftoppm` and every symbol decoded by zbar's `zbarimg` (both installed by `.ci/run`).

use std::process::Command;

use chamlo_slips::{Slip, render_pdf};

#[test]
fn every_qr_code_on_the_slips_decodes_to_its_code() {
    let codes: Vec<String> = (0..5)
        .map(|i| format!("K7M2P9QX{}{}", (b'A' + i) as char, i))
        .collect();
    let slips: Vec<Slip> = codes
        .iter()
        .map(|code| Slip {
            heading: vec!["ỦY BAN NHÂN DÂN".into(), "PHƯỜNG BẾN NGHÉ".into()],
            recipient: "Trần Văn Ơn".into(),
            address: Some("45 Nguyễn Huệ, khu phố 2".into()),
            gifts: vec!["Quà Tết người có công: 1.500.000 đ".into()],
            place: Some("Trụ sở UBND phường".into()),
            when: Some("25/01/2026, 07:30–09:00".into()),
            code: code.clone(),
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("chamlo-slips-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("slips.pdf");
    std::fs::write(&pdf, render_pdf(&slips).unwrap()).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-png"])
        .arg(&pdf)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 2, "five slips, three to a page");
    let output = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sqrcode.enable"])
        .args(&pages)
        .output()
        .expect("zbarimg (zbar-tools) is installed");
    let mut read: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    read.sort();
    let mut expected = codes.clone();
    expected.sort();
    assert_eq!(read, expected);
    let _ = std::fs::remove_dir_all(&dir);
}
