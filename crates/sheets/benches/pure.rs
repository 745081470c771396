//! Criterion benches of the pure parts of the import and the export: reading a workbook,
//! normalising names, validating identity numbers and categories, and writing the signing
//! sheet. No database: `scripts/bench.sh` measures the whole path end to end.
//!
//! `cargo bench` runs them; `cargo bench -- read` one group.

#[path = "support/district_list.rs"]
mod district_list;

use std::hint::black_box;

use chamlo_sheets::export::{
    Category, Program, Signers, SigningEntry, SigningSheet, write_signing_sheet,
};
use chamlo_sheets::import::read_ward_file;
use chamlo_sheets::import::seed_context::{seed_catalogue, seed_context};
use chamlo_vn::identity::{Gender, cross_check_cccd, parse_national_id};
use chamlo_vn::states::FundingSource;
use chamlo_vn::text::{fold_key, name_key, tidy_person_name};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Rows in the in-memory list: big enough to dwarf the per-file work, small enough to repeat.
const ROWS: u32 = 10_000;

fn read(c: &mut Criterion) {
    let bytes = district_list::district_list(ROWS).expect("the generator writes a workbook");
    let ctx = seed_context(2024);
    let mut group = c.benchmark_group("read");
    group.throughput(Throughput::Elements(u64::from(ROWS)));
    group.sample_size(20);
    group.bench_function("read_ward_file 10k rows", |b| {
        b.iter(|| {
            let list = read_ward_file("list.xlsx", black_box(&bytes), &ctx).expect("readable");
            assert_eq!(list.rows.len(), ROWS as usize);
            list
        })
    });
    group.finish();
}

/// Names as wards type them: ALL CAPS, doubled spaces, decomposed diacritics.
fn typed_names() -> Vec<String> {
    let base = [
        "NGUYỄN VĂN TÂM",
        "trần  thị   hoa",
        "Le\u{0302}\u{0301} Va\u{0306}n Ba\u{0309}y",
        "Phạm Thị Sen ",
        "HOÀNG văn THÁI",
        "Ngô Thị Lài",
    ];
    (0..1_000)
        .map(|i| base[i % base.len()].to_owned())
        .collect()
}

fn normalise(c: &mut Criterion) {
    let names = typed_names();
    let mut group = c.benchmark_group("normalise");
    group.throughput(Throughput::Elements(names.len() as u64));
    group.bench_function("tidy_person_name", |b| {
        b.iter(|| {
            names
                .iter()
                .map(|n| tidy_person_name(black_box(n)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("fold_key", |b| {
        b.iter(|| {
            names
                .iter()
                .map(|n| fold_key(black_box(n)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("name_key", |b| {
        b.iter(|| {
            names
                .iter()
                .map(|n| name_key(black_box(n)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn validate(c: &mut Criterion) {
    let ids: Vec<String> = (0..1_000)
        .map(|i| match i % 4 {
            0 => format!("079{}{:02}{:06}", i % 2, i % 100, i),
            1 => format!("79{}{:02}{:06}", i % 2, i % 100, i), // leading zero lost by Excel
            2 => format!("02{:07}", i),                        // 9-digit CMND
            _ => format!("079 {:03} {:06}", i % 1000, i),      // typed with spaces
        })
        .collect();
    let categories = [
        "Hộ nghèo",
        "TB 3/4",
        "Con liệt sĩ",
        "GĐCM",
        "cận nghèo",
        "BMVNAH",
    ];
    let catalogue = seed_catalogue();
    let mut group = c.benchmark_group("validate");
    group.throughput(Throughput::Elements(ids.len() as u64));
    group.bench_function("national id + CCCD cross-check", |b| {
        b.iter(|| {
            ids.iter()
                .filter_map(|t| parse_national_id(black_box(t)).ok().flatten())
                .map(|id| cross_check_cccd(&id, Some(1950), None).len())
                .sum::<usize>()
        })
    });
    group.bench_function("category text", |b| {
        b.iter(|| {
            (0..1_000)
                .filter(|i| {
                    catalogue
                        .resolve(black_box(categories[i % categories.len()]))
                        .is_some()
                })
                .count()
        })
    });
    group.finish();
}

/// One ward's signing sheet of `entries` recipients over a few categories.
fn ward_sheet(entries: usize) -> SigningSheet {
    let categories = [
        "Thương binh",
        "Thân nhân liệt sĩ",
        "Hộ nghèo",
        "Hộ cận nghèo",
    ];
    SigningSheet {
        parent_unit: "Quận 9".to_owned(),
        ward: "Phường Hiệp Phú".to_owned(),
        place: "Quận 9".to_owned(),
        date: None,
        campaign_year: 2024,
        program: Program {
            id: 1,
            name: "Quà Tết Giáp Thìn 2024".to_owned(),
            funding: FundingSource::City,
            sponsor_name: None,
            budget: None,
        },
        approved: true,
        reference: None,
        categories: categories
            .iter()
            .enumerate()
            .map(|(i, name)| Category {
                id: i as i64 + 1,
                name: (*name).to_owned(),
                sort_order: i as i32,
                sensitive: false,
            })
            .collect(),
        entries: (0..entries)
            .map(|i| SigningEntry {
                entry_id: i as i64 + 1,
                full_name: format!("Nguyễn Văn An {i}"),
                birth_year: Some(1930 + (i % 70) as i32),
                gender: Some(if i % 2 == 0 {
                    Gender::Male
                } else {
                    Gender::Female
                }),
                address: format!("{}/{} Lê Văn Việt", i % 300 + 1, i % 30 + 1),
                quarter: format!("Khu phố {}", i % 6 + 1),
                id_number: Some(format!("0790{:02}{:06}", i % 100, i)),
                category_id: (i % categories.len()) as i64 + 1,
                amount: 300_000,
                note: String::new(),
                former_ward: None,
            })
            .collect(),
        signers: Signers::default(),
    }
}

fn write(c: &mut Criterion) {
    let sheet = ward_sheet(ROWS as usize);
    let mut group = c.benchmark_group("write");
    group.throughput(Throughput::Elements(u64::from(ROWS)));
    group.sample_size(10);
    group.bench_function("signing sheet 10k entries", |b| {
        b.iter(|| write_signing_sheet(black_box(&sheet)).expect("writable"))
    });
    group.finish();
}

criterion_group!(benches, read, normalise, validate, write);
criterion_main!(benches);
