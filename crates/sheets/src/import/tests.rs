//! End-to-end tests of `read_ward_file` on workbooks built in the shapes wards send (title
//! block, merged headers, sections, totals, signatures).

use super::seed_context::seed_context;
use super::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

/// A cell to write.
enum C<'a> {
    T(&'a str),
    N(f64),
    D(u16, u8, u8),
}
use C::{D, N, T};

fn write_rows(ws: &mut Worksheet, first_row: u32, rows: &[Vec<C>]) {
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (i, row) in rows.iter().enumerate() {
        let r = first_row + i as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                T("") => {}
                T(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
            }
        }
    }
}

/// A one-sheet workbook from rows starting at row 1.
fn book(rows: &[Vec<C>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_rows(ws, 0, rows);
    wb.save_to_buffer().unwrap()
}

fn read(bytes: &[u8]) -> ParsedList {
    read_ward_file("test.xlsx", bytes, &seed_context(2021)).unwrap()
}

fn row(list: &ParsedList, n: u32) -> &ImportRow {
    list.rows
        .iter()
        .find(|r| r.row == n)
        .unwrap_or_else(|| panic!("no person on row {n}"))
}

fn fields(r: &ImportRow) -> Vec<&'static str> {
    r.issues.iter().map(|i| i.field).collect()
}

fn title_block() -> Vec<Vec<C<'static>>> {
    vec![
        vec![
            T("UBND QUẬN 9"),
            T(""),
            T(""),
            T(""),
            T("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ],
        vec![
            T("UBND PHƯỜNG TÂN PHÚ"),
            T(""),
            T(""),
            T(""),
            T("Độc lập - Tự do - Hạnh phúc"),
        ],
        vec![T("DANH SÁCH NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021")],
        vec![T("(Kèm theo Tờ trình số 12/TTr-UBND ngày 05/01/2021)")],
    ]
}

/// A simple list: title block, header on row 5, people from row 6.
fn simple(people: Vec<Vec<C<'static>>>) -> Vec<u8> {
    let mut rows = title_block();
    rows.push(vec![
        T("STT"),
        T("Họ và tên"),
        T("Năm sinh"),
        T("Giới tính"),
        T("Số CCCD"),
        T("Địa chỉ"),
        T("Khu phố"),
        T("Đối tượng"),
        T("Số tiền"),
        T("Ghi chú"),
    ]);
    rows.extend(people);
    book(&rows)
}

fn person<'a>(stt: f64, name: &'a str, year: C<'a>, id: C<'a>, cat: &'a str) -> Vec<C<'a>> {
    vec![
        N(stt),
        T(name),
        year,
        T(""),
        id,
        T("1 Lê Văn Việt"),
        T("KP 1"),
        T(cat),
        N(300000.0),
    ]
}

#[test]
fn merit_list_with_two_row_header_sections_totals_and_signatures() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("DS tang qua").unwrap();
    write_rows(ws, 0, &title_block());
    let m = Format::new();
    // Header over rows 6–7; "Năm sinh" spans two columns with Nam / Nữ below.
    ws.merge_range(5, 0, 6, 0, "STT", &m).unwrap();
    ws.merge_range(5, 1, 6, 1, "Họ và tên", &m).unwrap();
    ws.merge_range(5, 2, 5, 3, "Năm sinh", &m).unwrap();
    ws.write_string(6, 2, "Nam").unwrap();
    ws.write_string(6, 3, "Nữ").unwrap();
    ws.merge_range(5, 4, 6, 4, "Số CCCD", &m).unwrap();
    ws.merge_range(5, 5, 6, 5, "Đối tượng", &m).unwrap();
    ws.merge_range(5, 6, 6, 6, "Số tiền", &m).unwrap();
    ws.merge_range(5, 7, 6, 7, "Ký nhận", &m).unwrap();
    write_rows(
        ws,
        7,
        &[
            vec![
                T("(1)"),
                T("(2)"),
                T("(3)"),
                T("(4)"),
                T("(5)"),
                T("(6)"),
                T("(7)"),
            ],
            vec![T("I"), T("NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG")],
            vec![
                N(1.0),
                T("Nguyễn Văn Hùng"),
                N(1947.0),
                T(""),
                T("079047000231"),
                T("TB 2/4"),
                N(300000.0),
            ],
            vec![T("II"), T("THÂN NHÂN LIỆT SĨ")],
            vec![
                N(2.0),
                T("Nguyễn Thị Lan"),
                T(""),
                N(1940.0),
                T("079140000573"),
                T(""),
                N(300000.0),
            ],
            vec![
                N(3.0),
                T("TRẦN  THỊ MƯỜI"),
                T(""),
                N(1945.0),
                T(""),
                T(""),
                N(300000.0),
            ],
            vec![
                T(""),
                T("Tổng cộng"),
                T(""),
                T(""),
                T(""),
                T(""),
                N(900000.0),
            ],
            vec![T("Bằng chữ: Chín trăm nghìn đồng")],
            vec![
                T(""),
                T("Người lập biểu"),
                T(""),
                T(""),
                T(""),
                T("TM. ỦY BAN NHÂN DÂN"),
            ],
            vec![T(""), T(""), T(""), T(""), T(""), T("CHỦ TỊCH")],
            vec![
                T(""),
                T("Lê Thị Bích Ngọc"),
                T(""),
                T(""),
                T(""),
                T("Nguyễn Thành Công"),
            ],
        ],
    );
    let bytes = wb.save_to_buffer().unwrap();
    let list = read(&bytes);

    assert_eq!(list.sheet, "DS tang qua");
    assert_eq!(list.header_row, 6);
    assert_eq!(list.ward.as_ref().map(|w| w.name.as_ref()), Some("Tân Phú"));
    assert_eq!(
        list.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        vec![10, 12, 13],
        "only the three people, no numbering, section, total or signature rows"
    );
    let hung = row(&list, 10);
    assert_eq!(hung.gender, Some(Gender::Male));
    assert_eq!(hung.birth_year, Some(1947));
    assert_eq!(hung.category.as_ref().map(|c| c.code.as_str()), Some("TB"));
    let lan = row(&list, 12);
    assert_eq!(lan.gender, Some(Gender::Female), "year in the Nữ column");
    assert_eq!(lan.birth_year, Some(1940));
    assert_eq!(
        lan.category.as_ref().map(|c| c.code.as_str()),
        Some("TNLS"),
        "empty category takes the section's"
    );
    let muoi = row(&list, 13);
    assert_eq!(muoi.full_name.as_deref(), Some("Trần Thị Mười"));
    assert_eq!(muoi.ward.as_ref().map(|w| w.name.as_ref()), Some("Tân Phú"));
    assert!(
        list.rows.iter().all(|r| r.status == RowStatus::Accepted),
        "{:#?}",
        list.rows
    );
}

#[test]
fn a_generic_heading_gives_no_category_and_an_empty_one_is_an_error() {
    let mut rows = title_block();
    rows.push(vec![
        T("STT"),
        T("Họ và tên"),
        T("Năm sinh"),
        T("Đối tượng"),
    ]);
    rows.push(vec![T("I"), T("NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG")]);
    rows.push(vec![N(1.0), T("Lê Văn A"), N(1950.0), T("")]);
    rows.push(vec![N(2.0), T("Lê Văn B"), N(1950.0), T("Cựu chiến binh")]);
    let list = read(&book(&rows));
    let a = row(&list, 7);
    assert_eq!(a.category, None);
    assert_eq!(fields(a), vec!["category"]);
    let b = row(&list, 8);
    assert_eq!(b.status, RowStatus::Rejected);
    assert!(
        b.issues[0].message.contains("“Cựu chiến binh”"),
        "{:?}",
        b.issues
    );
}

#[test]
fn ids_typed_as_numbers_regain_the_leading_zero_and_bad_ids_are_kept_as_typed() {
    let list = read(&simple(vec![
        person(1.0, "Nguyễn Văn Quang", N(1948.0), N(79048000123.0), "TB"),
        person(2.0, "Trần Thị Bích", N(1951.0), N(271234567.0), "TB"),
        person(3.0, "Lê Văn Thọ", N(1950.0), T("0790500012"), "TB"),
        person(4.0, "Phạm Thị Tuyết", N(1956.0), T("07915600A234"), "TB"),
    ]));
    assert_eq!(
        row(&list, 6).national_id.as_ref().map(|i| i.as_str()),
        Some("079048000123")
    );
    assert_eq!(
        row(&list, 7).national_id.as_ref().map(|i| i.as_str()),
        Some("271234567")
    );
    for n in [8, 9] {
        let r = row(&list, n);
        assert_eq!(r.status, RowStatus::Rejected);
        assert_eq!(fields(r), vec!["national_id"]);
    }
    assert_eq!(
        row(&list, 8).national_id_as_typed.as_deref(),
        Some("0790500012")
    );
    let json = serde_json::to_value(&list).unwrap();
    assert_eq!(json["rows"][3]["national_id"], "07915600A234");
}

#[test]
fn cccd_contradicting_birth_year_or_gender_is_a_warning_and_gender_comes_from_it() {
    let mut rows = title_block();
    rows.push(vec![
        T("STT"),
        T("Họ và tên"),
        T("Năm sinh"),
        T("Giới tính"),
        T("Số CCCD"),
        T("Đối tượng"),
    ]);
    rows.push(vec![
        N(1.0),
        T("Hoàng Văn Minh"),
        N(1955.0),
        T(""),
        T("079052001234"),
        T("TB"),
    ]);
    rows.push(vec![
        N(2.0),
        T("Đoàn Thị Thủy"),
        N(1960.0),
        T("Nữ"),
        T("079060003456"),
        T("TB"),
    ]);
    rows.push(vec![
        N(3.0),
        T("NGUYỄN VĂN AN"),
        N(1949.0),
        T(""),
        T("079049005678"),
        T("TB"),
    ]);
    let list = read(&book(&rows));
    let minh = row(&list, 6);
    assert_eq!(minh.status, RowStatus::Accepted);
    assert_eq!(minh.birth_year, Some(1955), "the typed year wins");
    assert_eq!(fields(minh), vec!["national_id"]);
    assert!(minh.issues[0].message.contains("1952"));
    assert!(
        !minh.issues[0].message.contains("079052001234"),
        "IDs are masked in messages"
    );
    let thuy = row(&list, 7);
    assert_eq!(thuy.gender, Some(Gender::Female), "the column wins");
    assert_eq!(fields(thuy), vec!["national_id"]);
    let an = row(&list, 8);
    assert_eq!(an.full_name.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(an.gender, Some(Gender::Male), "from the CCCD's digit 4");
    assert!(an.issues.is_empty());
}

#[test]
fn each_validation_rule_rejects_its_row() {
    let list = read(&simple(vec![
        person(1.0, "Hồ Văn Sáu 6", N(1947.0), T(""), "BB"),
        person(2.0, "=Đỗ Thị Nga", N(1953.0), T(""), "BB"),
        person(3.0, "", N(1952.0), T("079052007890"), "BB"),
        person(4.0, "Cao Thị Huệ", N(1890.0), T(""), "BB"),
        person(5.0, "Tô Văn Đức", N(2030.0), T(""), "BB"),
        person(6.0, "Châu Thị Loan", N(1961.0), T(""), "Hộ chính sách ABC"),
        person(7.0, "Mai Văn Lâm", T("khoảng 1950"), T(""), "BB"),
    ]));
    let expect = [
        (6, "full_name"),
        (7, "full_name"),
        (8, "full_name"),
        (9, "birth_year"),
        (10, "birth_year"),
        (11, "category"),
        (12, "birth_year"),
    ];
    for (n, field) in expect {
        let r = row(&list, n);
        assert_eq!(r.status, RowStatus::Rejected, "row {n}");
        assert_eq!(fields(r), vec![field], "row {n}");
    }
    assert_eq!(
        row(&list, 9).birth_year,
        Some(1890),
        "out-of-range year kept"
    );
    assert_eq!(row(&list, 8).full_name, None);
    assert!(row(&list, 6).issues[0].message.contains("“6”"));
}

#[test]
fn amounts_from_text_are_read_and_bad_ones_rejected() {
    let mut rows = title_block();
    rows.push(vec![
        T("STT"),
        T("Họ và tên"),
        T("Năm sinh"),
        T("Đối tượng"),
        T("Số tiền (đồng)"),
    ]);
    for (i, a) in ["600.000", "600.000đ", "600,000", "500.000 đ", "abc"]
        .iter()
        .enumerate()
    {
        rows.push(vec![
            N(i as f64 + 1.0),
            T("Lê Văn A"),
            N(1950.0 + i as f64),
            T("TB"),
            T(a),
        ]);
    }
    rows.push(vec![N(6.0), T("Lê Văn B"), N(1949.0), T("TB"), N(-5000.0)]);
    let list = read(&book(&rows));
    for n in 6..=9 {
        assert_eq!(
            row(&list, n).amount,
            Some(if n == 9 { 500_000 } else { 600_000 })
        );
    }
    let abc = row(&list, 10);
    assert_eq!((abc.status, abc.amount), (RowStatus::Rejected, None));
    let neg = row(&list, 11);
    assert_eq!((neg.status, neg.amount), (RowStatus::Rejected, Some(-5000)));
    assert_eq!(fields(neg), vec!["amount"]);
}

#[test]
fn birth_years_from_excel_dates_text_dates_and_bare_years() {
    let list = read(&simple(vec![
        person(1.0, "Dương Văn Kiên", D(1950, 3, 15), T(""), "TB"),
        person(2.0, "Lý Thị Hạnh", T("12/05/1962"), T(""), "TB"),
        person(3.0, "Mai Văn Lâm", T("1957"), T(""), "TB"),
    ]));
    assert_eq!(row(&list, 6).birth_year, Some(1950));
    assert_eq!(
        row(&list, 6).birth_date,
        chrono::NaiveDate::from_ymd_opt(1950, 3, 15)
    );
    assert_eq!(row(&list, 7).birth_year, Some(1962));
    assert_eq!(row(&list, 8).birth_year, Some(1957));
}

#[test]
fn the_same_person_twice_is_a_duplicate_naming_the_earlier_row() {
    let mut rows = title_block();
    rows.push(vec![
        T("STT"),
        T("Họ và tên"),
        T("Năm sinh"),
        T("Số CCCD"),
        T("Địa chỉ"),
        T("Đối tượng"),
        T("Số tiền"),
    ]);
    rows.push(vec![
        N(1.0),
        T("Nguyễn Văn Quang"),
        N(1948.0),
        N(79048000123.0),
        T("12/3 Đỗ Xuân Hợp"),
        T("TB"),
        N(1.0),
    ]);
    rows.push(vec![
        N(2.0),
        T("Phan Thị Đào"),
        N(1955.0),
        T(""),
        T("25/6 Đỗ Xuân Hợp"),
        T("HCKK"),
        N(1.0),
    ]);
    rows.push(vec![
        N(3.0),
        T("Nguyễn Văn Quang"),
        N(1948.0),
        T("079048000123"),
        T("12/3 Đỗ Xuân Hợp"),
        T("TB"),
        T("abc"),
    ]);
    rows.push(vec![
        N(4.0),
        T("Nguyễn Văn Quang"),
        N(1948.0),
        T("079048000123"),
        T("12/3 Đỗ Xuân Hợp"),
        T("TB"),
        N(1.0),
    ]);
    rows.push(vec![
        N(5.0),
        T("PHAN THỊ  ĐÀO"),
        N(1955.0),
        T(""),
        T("25/6  Đỗ Xuân Hợp"),
        T("HCKK"),
        N(1.0),
    ]);
    rows.push(vec![
        N(6.0),
        T("Phan Thị Đào"),
        N(1955.0),
        T(""),
        T("3 Lê Văn Việt"),
        T("HCKK"),
        N(1.0),
    ]);
    let list = read(&book(&rows));
    assert_eq!(row(&list, 6).status, RowStatus::Accepted);
    assert_eq!(
        row(&list, 8).status,
        RowStatus::Rejected,
        "an error wins over a repeat"
    );
    assert_eq!(fields(row(&list, 8)), vec!["amount"]);
    let by_id = row(&list, 9);
    assert_eq!(by_id.status, RowStatus::Duplicate);
    assert_eq!(fields(by_id), vec!["national_id"]);
    assert!(by_id.issues[0].message.contains("dòng 6"));
    let by_name = row(&list, 10);
    assert_eq!(by_name.status, RowStatus::Duplicate);
    assert_eq!(fields(by_name), vec!["row"]);
    assert!(by_name.issues[0].message.contains("dòng 7"));
    assert_eq!(
        row(&list, 11).status,
        RowStatus::Accepted,
        "another address"
    );
    assert_eq!(list.count(RowStatus::Duplicate), 2);
}

#[test]
fn household_list_keeps_the_household_and_catches_a_second_member() {
    let mut rows = title_block();
    rows.push(vec![
        T("STT"),
        T("Họ tên chủ hộ"),
        T("Mã hộ"),
        T("Số nhân khẩu"),
        T("Năm sinh"),
        T("Tổ dân phố"),
        T("Diện"),
    ]);
    rows.push(vec![T("I"), T("HỘ NGHÈO")]);
    rows.push(vec![
        N(1.0),
        T("Trần Thị Kim Anh"),
        T("HN-26842-0015"),
        N(3.0),
        N(1975.0),
        T("Tổ 5"),
        T(""),
    ]);
    rows.push(vec![
        N(2.0),
        T("Đỗ Văn Lợi"),
        T("HN-26842-0015"),
        T("3"),
        N(1973.0),
        N(5.0),
        T(""),
    ]);
    rows.push(vec![T("II"), T("HỘ CẬN NGHÈO")]);
    rows.push(vec![
        N(3.0),
        T("Bùi Thị Ngọc"),
        T(""),
        T("2"),
        N(1990.0),
        T("TDP 9"),
        T(""),
    ]);
    let list = read(&book(&rows));
    assert!(list.household_list);
    let anh = row(&list, 7);
    assert_eq!(anh.household_code.as_deref(), Some("HN-26842-0015"));
    assert_eq!(anh.household_size, Some(3));
    assert_eq!(anh.khu_pho.as_deref(), Some("Tổ 5"));
    assert_eq!(anh.category.as_ref().map(|c| c.code.as_str()), Some("HN"));
    let loi = row(&list, 8);
    assert_eq!(loi.status, RowStatus::Duplicate);
    assert_eq!(fields(loi), vec!["household_code"]);
    assert_eq!(
        loi.khu_pho.as_deref(),
        Some("Tổ 5"),
        "a bare number in a Tổ column"
    );
    let ngoc = row(&list, 10);
    assert_eq!(ngoc.status, RowStatus::Accepted);
    assert_eq!(
        fields(ngoc),
        vec!["household_code"],
        "missing code is a warning"
    );
    assert_eq!(ngoc.category.as_ref().map(|c| c.code.as_str()), Some("HCN"));
    assert_eq!(ngoc.khu_pho.as_deref(), Some("Tổ 9"));
}

#[test]
fn district_file_assigns_each_row_its_ward() {
    let rows = vec![
        vec![T("UBND QUẬN 9")],
        vec![T("PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")],
        vec![],
        vec![
            T("STT"),
            T("Họ và tên"),
            T("Năm sinh"),
            T("Phường"),
            T("Đối tượng"),
        ],
        vec![N(1.0), T("Lê Văn A"), N(1950.0), T("P. Tân Phú"), T("TB")],
        vec![
            N(2.0),
            T("Lê Văn B"),
            N(1950.0),
            T("phường Long Trường"),
            T("TB"),
        ],
        vec![
            N(3.0),
            T("Lê Văn C"),
            N(1950.0),
            T("Tang Nhon Phu B"),
            T("TB"),
        ],
        vec![N(4.0), T("Lê Văn D"), N(1950.0), T("P.Long Bình"), T("TB")],
        vec![N(5.0), T("Lê Văn E"), N(1950.0), T("Phước Long"), T("TB")],
        vec![
            N(6.0),
            T("Lê Văn F"),
            N(1950.0),
            T("Bình Trưng Đông"),
            T("TB"),
        ],
        vec![N(7.0), T("Lê Văn G"), N(1950.0), T(""), T("TB")],
    ];
    let list = read(&book(&rows));
    assert_eq!(list.ward, None);
    let ward = |n| row(&list, n).ward.as_ref().map(|w| w.name.clone());
    assert_eq!(ward(5).as_deref(), Some("Tân Phú"));
    assert_eq!(ward(6).as_deref(), Some("Long Trường"));
    assert_eq!(ward(7).as_deref(), Some("Tăng Nhơn Phú B"));
    assert_eq!(ward(8).as_deref(), Some("Long Bình"));
    for n in [9, 10, 11] {
        assert_eq!(ward(n), None);
        assert_eq!(fields(row(&list, n)), vec!["ward"], "row {n}");
    }
}

#[test]
fn tcvn3_text_is_decoded_in_headers_title_and_cells() {
    let rows = vec![
        vec![T("UBND PH¦êNG LONG B×NH")],
        vec![],
        vec![
            T("STT"),
            T("Hä vµ tªn"),
            T("N¨m sinh"),
            T("Giíi tÝnh"),
            T("§èi t\u{ad}îng"),
            T("Ghi chó"),
        ],
        vec![
            N(1.0),
            T("Tr\u{ad}¬ng ThÞ H\u{ad}êng"),
            N(1951.0),
            T("N÷"),
            T("Vî liÖt sÜ"),
            T("ñy quyÒn cho con"),
        ],
        vec![
            N(2.0),
            T("L£ V¡N T¢M"),
            N(1950.0),
            T("Nam"),
            T("Th\u{ad}¬ng binh"),
            T(""),
        ],
    ];
    let list = read(&book(&rows));
    assert_eq!(list.encoding, LegacyEncoding::Tcvn3);
    assert_eq!(
        list.ward.as_ref().map(|w| w.name.as_ref()),
        Some("Long Bình")
    );
    let huong = row(&list, 4);
    assert_eq!(huong.full_name.as_deref(), Some("Trương Thị Hường"));
    assert_eq!(huong.gender, Some(Gender::Female));
    assert_eq!(
        huong.category.as_ref().map(|c| c.code.as_str()),
        Some("TNLS")
    );
    assert_eq!(huong.note.as_deref(), Some("ủy quyền cho con"));
    assert_eq!(row(&list, 5).full_name.as_deref(), Some("Lê Văn Tâm"));
    assert_eq!(
        list.cells.cell(3, 1),
        "Họ và tên",
        "the kept cells are decoded too"
    );
}

#[test]
fn vni_text_is_decoded() {
    let rows = vec![
        vec![T("ÖÛY BAN NHAÂN DAÂN")],
        vec![T("PHÖÔØNG PHÖÔÙC LONG B")],
        vec![
            T("STT"),
            T("Hoï vaø teân"),
            T("Naêm sinh"),
            T("Ñoái töôïng"),
        ],
        vec![N(1.0), T("Nguyeãn Vaên Hoøa"), N(1946.0), T("Thöông binh")],
        vec![N(2.0), T("NGUYEÃN THÒ HOA"), N(1958.0), T("Hoä ngheøo")],
    ];
    let list = read(&book(&rows));
    assert_eq!(list.encoding, LegacyEncoding::Vni);
    assert_eq!(
        list.ward.as_ref().map(|w| w.name.as_ref()),
        Some("Phước Long B")
    );
    assert_eq!(row(&list, 4).full_name.as_deref(), Some("Nguyễn Văn Hòa"));
    assert_eq!(row(&list, 5).full_name.as_deref(), Some("Nguyễn Thị Hoa"));
    assert_eq!(
        row(&list, 5).category.as_ref().map(|c| c.code.as_str()),
        Some("HN")
    );
}

#[test]
fn the_sheet_holding_the_list_is_chosen() {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("Hướng dẫn").unwrap();
    write_rows(notes, 0, &[vec![T("Ghi họ và tên, năm sinh vào trang DS")]]);
    wb.add_worksheet().set_name("Sheet2").unwrap();
    let list_sheet = wb.add_worksheet();
    list_sheet.set_name("DS nhận quà").unwrap();
    write_rows(
        list_sheet,
        2,
        &[
            vec![
                T("STT"),
                T("Họ và tên"),
                T("Ngày tháng năm sinh"),
                T("Diện"),
            ],
            vec![N(1.0), T("Nguyễn Văn Lành"), D(1947, 2, 3), T("TB")],
        ],
    );
    let list = read(&wb.save_to_buffer().unwrap());
    assert_eq!(list.sheet, "DS nhận quà");
    assert_eq!(list.header_row, 3);
    assert!(list.sheet_reason.contains("DS nhận quà"));
    assert_eq!(row(&list, 4).birth_year, Some(1947));
}

#[test]
fn merged_category_cells_apply_to_every_row_they_span() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_rows(
        ws,
        0,
        &[
            vec![T("STT"), T("Họ và tên"), T("Năm sinh"), T("Đối tượng")],
            vec![N(1.0), T("Lê Văn A"), N(1950.0)],
            vec![N(2.0), T("Lê Văn B"), N(1951.0)],
        ],
    );
    ws.merge_range(1, 3, 2, 3, "Thân nhân liệt sĩ", &Format::new())
        .unwrap();
    let list = read(&wb.save_to_buffer().unwrap());
    for n in [2, 3] {
        assert_eq!(
            row(&list, n).category.as_ref().map(|c| c.code.as_str()),
            Some("TNLS"),
            "row {n}"
        );
    }
}

#[test]
fn people_listed_by_another_ward_are_marked_with_that_ward() {
    let mut list = read(&simple(vec![
        person(1.0, "Nguyễn Văn Quang", N(1948.0), T("079048000123"), "TB"),
        person(2.0, "Lê Văn B", N(1950.0), T(""), "TB"),
    ]));
    let keys: Vec<String> = list.rows[0]
        .person_keys()
        .iter()
        .map(PersonKey::storage_key)
        .collect();
    assert_eq!(keys, vec!["id:079048000123"]);
    mark_listed_elsewhere(&mut list.rows, |k| {
        matches!(k, PersonKey::NationalId(id) if id == "079048000123")
            .then(|| "Hiệp Phú".to_owned())
    });
    let quang = row(&list, 6);
    assert_eq!(quang.status, RowStatus::Duplicate);
    assert!(quang.issues[0].message.contains("phường Hiệp Phú"));
    assert_eq!(row(&list, 7).status, RowStatus::Accepted);
}

#[test]
fn unreadable_files_say_why_in_vietnamese() {
    let ctx = seed_context(2021);
    let err = |bytes: &[u8]| read_ward_file("x.xlsx", bytes, &ctx).unwrap_err();
    assert_eq!(err(b""), ReadError::Empty);
    assert_eq!(err(b"%PDF-1.4 ..."), ReadError::Pdf);
    assert_eq!(
        err(b"<html><table><tr><td>1</td></tr></table></html>"),
        ReadError::WebPage
    );
    let good = simple(vec![person(1.0, "Lê Văn A", N(1950.0), T(""), "TB")]);
    assert!(matches!(
        err(&good[..good.len() / 2]),
        ReadError::Corrupt { .. }
    ));
    let no_header = book(&[vec![T("Tên"), T("Tuổi")], vec![T("An"), N(3.0)]]);
    assert!(matches!(err(&no_header), ReadError::NoHeader { .. }));
    assert!(err(&no_header).to_string().contains("Họ và tên"));
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend(std::iter::repeat_n(0u8, 600));
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(err(&ole), ReadError::Encrypted);
}

#[test]
fn garbage_never_panics() {
    let ctx = seed_context(2021);
    let good = simple(vec![person(1.0, "Lê Văn A", N(1950.0), T(""), "TB")]);
    let mut seed = 0x2545_f491_u32;
    for prefix in [
        &b"PK\x03\x04"[..],
        &b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"[..],
        b"",
    ] {
        for len in [0usize, 10, 100, 1000, 5000] {
            let mut bytes = prefix.to_vec();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                bytes.push(seed as u8);
            }
            let _ = read_ward_file("x", &bytes, &ctx);
        }
    }
    // Corrupt a valid file byte by byte in a few places.
    for i in (0..good.len()).step_by(97) {
        let mut bytes = good.clone();
        bytes[i] ^= 0x5a;
        let _ = read_ward_file("x", &bytes, &ctx);
    }
}

#[test]
fn a_total_with_counts_ends_the_table_and_prenumbered_empty_rows_are_skipped() {
    let rows = vec![
        vec![T("STT"), T("Họ và tên"), T("Nam"), T("Nữ"), T("Đối tượng")],
        vec![N(1.0), T("Lê Văn A"), N(1950.0), T(""), T("TB")],
        vec![N(2.0)],
        vec![N(3.0)],
        vec![T(""), T("Tổng cộng"), N(1.0), N(0.0), T("")],
        vec![T(""), T("Lê Thị Bích Ngọc")],
    ];
    let list = read(&book(&rows));
    assert_eq!(list.rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![2]);
    assert_eq!(list.header_row, 1);
}

#[test]
fn ward_names_resolve_as_wards_type_them() {
    let wards = super::seed_context::seed_wards();
    let name = |t: &str| resolve_ward(t, &wards).map(|w| w.name.as_ref());
    assert_eq!(name("P. Tân Phú"), Some("Tân Phú"));
    assert_eq!(name("PHƯỚC BÌNH"), Some("Phước Bình"));
    assert_eq!(name("Long Phuoc"), Some("Long Phước"));
    assert_eq!(name("phường Long Trường"), Some("Long Trường"));
    assert_eq!(name("26836"), Some("Tân Phú"));
    assert_eq!(name("Phước Long"), None, "ambiguous: A or B");
    assert_eq!(name("Bình Trưng Đông"), None);
}
