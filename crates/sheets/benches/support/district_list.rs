//! The benchmarks' district-wide list, shared by `examples/bench_data.rs` (the file
//! `scripts/bench.sh` imports) and the criterion benches (smaller lists in memory).
//!
//! The file looks like the district's real summary lists (DOMAIN.md): a title block, a header
//! on row 6, then one person per row in 11 columns with a "Phường" column naming one of the 13
//! wards, categories typed the way wards type them, dates of birth as Excel dates and 12-digit
//! CCCD numbers as text. A fixed-seed generator makes every run write the same cells, so
//! figures from different runs and machines compare the same work.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// SplitMix64: tiny, fast and the same everywhere (no dependency on a crate's stream order).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WARDS: [&str; 13] = [
    "Long Bình",
    "Long Thạnh Mỹ",
    "Tân Phú",
    "Hiệp Phú",
    "Tăng Nhơn Phú A",
    "Tăng Nhơn Phú B",
    "Phước Long B",
    "Phước Long A",
    "Trường Thạnh",
    "Long Phước",
    "Long Trường",
    "Phước Bình",
    "Phú Hữu",
];

const SURNAMES: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô",
];
const MALE_MIDDLE: [&str; 6] = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh"];
const FEMALE_MIDDLE: [&str; 6] = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ"];
const MALE_GIVEN: [&str; 16] = [
    "Tâm", "Hùng", "Dũng", "Sơn", "Bảy", "Thái", "Hậu", "Phúc", "Lộc", "Tài", "Nghĩa", "Trung",
    "Hải", "Long", "Quang", "Tuấn",
];
const FEMALE_GIVEN: [&str; 16] = [
    "Hoa", "Sen", "Lài", "Kim", "Lan", "Huệ", "Cúc", "Mai", "Hồng", "Nga", "Thảo", "Hương", "Yến",
    "Trang", "Phương", "Linh",
];
const STREETS: [&str; 10] = [
    "Lê Văn Việt",
    "Đường số 1",
    "Nguyễn Duy Trinh",
    "Đình Phong Phú",
    "Nguyễn Xiển",
    "Đường 990",
    "Nguyễn Văn Tăng",
    "Lã Xuân Oai",
    "Đỗ Xuân Hợp",
    "Man Thiện",
];

/// Categories as wards type them, with the amounts their lists carry. Weighted towards the
/// common ones, like a real district list.
const CATEGORIES: [(&str, u32, usize); 12] = [
    ("Hộ nghèo", 300_000, 18),
    ("Hộ cận nghèo", 300_000, 16),
    ("TB 3/4", 200_000, 10),
    ("TB 4/4", 200_000, 6),
    ("Con liệt sĩ", 200_000, 12),
    ("BB 2/3", 200_000, 6),
    ("GĐCM", 200_000, 8),
    ("CĐHH", 200_000, 6),
    ("Tiền khởi nghĩa", 400_000, 2),
    ("BMVNAH", 400_000, 1),
    ("Thương binh 1/4", 400_000, 3),
    ("Vợ liệt sĩ", 200_000, 12),
];

fn pick_category(rng: &mut Rng) -> (&'static str, u32) {
    let total: usize = CATEGORIES.iter().map(|c| c.2).sum();
    let mut roll = rng.below(total);
    for (text, amount, weight) in CATEGORIES {
        if roll < weight {
            return (text, amount);
        }
        roll -= weight;
    }
    unreachable!("the roll is below the total weight")
}

/// The workbook of a district-wide list of `rows` people, as the bytes of an .xlsx file.
pub fn district_list(rows: u32) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Tong hop")?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let money = Format::new().set_num_format("#,##0");

    sheet.write_string_with_format(0, 0, "UBND QUẬN 9", &bold)?;
    sheet.write_string_with_format(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &bold)?;
    sheet.write_string_with_format(1, 0, "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", &bold)?;
    sheet.write_string(1, 6, "Độc lập - Tự do - Hạnh phúc")?;
    sheet.write_string(2, 6, "Quận 9, ngày 06 tháng 01 năm 2024")?;
    sheet.write_string_with_format(
        3,
        0,
        "DANH SÁCH TỔNG HỢP ĐỐI TƯỢNG NHẬN QUÀ TẾT NGUYÊN ĐÁN GIÁP THÌN 2024",
        &bold,
    )?;
    let heads = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Địa chỉ",
        "Khu phố",
        "Phường",
        "Đối tượng",
        "Số tiền",
        "Ghi chú",
    ];
    for (col, head) in heads.iter().enumerate() {
        sheet.write_string_with_format(5, col as u16, *head, &bold)?;
    }

    let mut rng = Rng(0x00C4_A31C_2024);
    for i in 0..rows {
        let r = 6 + i;
        let female = rng.below(2) == 1;
        let (middle, given): (&[&str], &[&str]) = if female {
            (&FEMALE_MIDDLE, &FEMALE_GIVEN)
        } else {
            (&MALE_MIDDLE, &MALE_GIVEN)
        };
        let name = format!(
            "{} {} {}",
            rng.pick(&SURNAMES),
            rng.pick(middle),
            rng.pick(given)
        );
        let year = 1930 + rng.below(75) as u16;
        let month = 1 + rng.below(12) as u8;
        let day = 1 + rng.below(28) as u8;
        // CCCD: province 079, century-and-gender digit, two digits of the year, six digits
        // that make every number in the file distinct.
        let century_gender = match (year >= 2000, female) {
            (false, false) => 0,
            (false, true) => 1,
            (true, false) => 2,
            (true, true) => 3,
        };
        let cccd = format!("079{century_gender}{:02}{:06}", year % 100, i % 1_000_000);
        let address = format!(
            "{}/{} {}",
            1 + rng.below(300),
            1 + rng.below(30),
            rng.pick(&STREETS)
        );
        let khu_pho = format!("Khu phố {}", 1 + rng.below(6));
        let ward = WARDS[rng.below(WARDS.len())];
        let (category, amount) = pick_category(&mut rng);

        sheet.write_number(r, 0, f64::from(i + 1))?;
        sheet.write_string(r, 1, &name)?;
        sheet.write_datetime_with_format(
            r,
            2,
            ExcelDateTime::from_ymd(year, month, day)?,
            &date,
        )?;
        sheet.write_string(r, 3, if female { "Nữ" } else { "Nam" })?;
        sheet.write_string(r, 4, &cccd)?;
        sheet.write_string(r, 5, &address)?;
        sheet.write_string(r, 6, &khu_pho)?;
        sheet.write_string(r, 7, ward)?;
        sheet.write_string(r, 8, category)?;
        sheet.write_number_with_format(r, 9, f64::from(amount), &money)?;
        if rng.below(20) == 0 {
            sheet.write_string(r, 10, "Neo đơn")?;
        }
    }
    workbook.save_to_buffer()
}
