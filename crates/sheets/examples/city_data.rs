//! Writes the city-scale benchmark data set as a psql script of `COPY … FROM STDIN` blocks:
//!
//! ```text
//! city_data CITY_ID CAMPAIGN_ID PROGRAM_CITY PROGRAM_NATIONAL WARD_IDS CATEGORIES | psql -v ON_ERROR_STOP=1 URL
//! ```
//!
//! WARD_IDS are the ids of the wards already seeded under the city (comma-separated); the
//! generator adds the rest up to 168, marked "(sinh tự động)" in their names because they are
//! generated, not real wards. CATEGORIES is `CODE=ID,…` for the category codes used below.
//! The campaign and its two programs exist already (scripts/bench.sh makes them with the
//! `chamlo` command line); everything else — wards, one list per ward, about 700,000 people
//! and 1,000,000 entries — is written here with a fixed seed, so every run loads the same rows.
//!
//! Shape (why): every person has the city's gift (program one); merit recipients also have
//! the national gift (program two), which brings the total to a million entries like Hồ Chí
//! Minh City's Tết 2026. A few thousand people are listed by a second ward under another
//! category (the same person, found by their citizen ID: duplicates to review), and a few
//! hundred pairs of people without an ID share name, birth year and address in two wards.
//! The first generated ward has 10,000 people, the size of the bench's one-ward signing sheet.
//! Rows go straight into the tables (one transaction; the database's own triggers keep the
//! tallies), without the import's checks: this is data to measure pages and exports against.

use std::collections::HashMap;
use std::io::{BufWriter, Write};

/// SplitMix64, as the district generator (benches/support/district_list.rs): fixed everywhere.
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

const WARDS: usize = 168;
const PEOPLE: usize = 700_000;
/// People with a merit category: they also have the national gift.
const MERIT_PEOPLE: usize = 296_500;
/// People listed by a second ward too (same person, same program, another category).
const LISTED_TWICE: usize = 3_500;
/// Pairs of people without a citizen ID sharing name, birth year and address in two wards.
const NAME_TWINS: usize = 500;
/// People of the first ward: its signing sheet is the bench's 10,000-row one.
const FIRST_WARD_PEOPLE: usize = 10_000;
/// Generated wards get ids from here (above any seeded unit).
const FIRST_GENERATED_UNIT_ID: usize = 100_000;

const SURNAMES: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô",
];
const MIDDLE: [&str; 10] = [
    "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thị", "Ngọc", "Thu", "Kim", "Thanh",
];
const GIVEN: [&str; 24] = [
    "Tâm", "Hùng", "Dũng", "Sơn", "Bảy", "Thái", "Hậu", "Phúc", "Lộc", "Tài", "Nghĩa", "Trung",
    "Hoa", "Sen", "Lài", "Lan", "Huệ", "Cúc", "Mai", "Hồng", "Nga", "Thảo", "Hương", "Yến",
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
/// Merit categories with the city's amount (program one) and the national one (program two).
const MERIT: [(&str, i64, i64); 5] = [
    ("TB", 1_500_000, 300_000),
    ("BB", 1_500_000, 300_000),
    ("TNLS", 1_500_000, 300_000),
    ("LTCM", 2_000_000, 500_000),
    ("HDKC", 1_000_000, 300_000),
];
/// Social-protection categories: the city's gift only.
const SOCIAL: [(&str, i64); 3] = [("HN", 1_000_000), ("HCN", 800_000), ("BTXH", 800_000)];

struct Person {
    ward: usize,
    merit: Option<usize>,
    social: usize,
    /// The name key the entries carry (`entries.name_key`: "đ" folded to "d"), written
    /// with them rather than left to the insert trigger.
    entry_key: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [
        city,
        campaign,
        program_city,
        program_national,
        wards,
        categories,
    ] = &args[..]
    else {
        return Err(
            "usage: city_data CITY_ID CAMPAIGN_ID PROGRAM_CITY PROGRAM_NATIONAL WARD_IDS CODE=ID,…"
                .into(),
        );
    };
    let city: usize = city.parse()?;
    let categories: HashMap<&str, usize> = categories
        .split(',')
        .map(|pair| {
            let (code, id) = pair.split_once('=').ok_or("CATEGORIES is CODE=ID,…")?;
            Ok((code, id.parse()?))
        })
        .collect::<Result<_, Box<dyn std::error::Error>>>()?;
    let category = |code: &str| {
        categories
            .get(code)
            .copied()
            .ok_or(format!("no category {code}"))
    };
    let mut ward_ids: Vec<usize> = wards.split(',').map(str::parse).collect::<Result<_, _>>()?;
    let seeded = ward_ids.len();
    let out = std::io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let stamp = "2026-01-05 08:00:00+07";
    writeln!(out, "\\set ON_ERROR_STOP 1\nBEGIN;")?;

    writeln!(
        out,
        "COPY units (id, code, name, level, parent_id, valid_from, created_at) FROM STDIN;"
    )?;
    for n in seeded..WARDS {
        let id = FIRST_GENERATED_UNIT_ID + n;
        writeln!(
            out,
            "{id}\t9{n:04}\tPhường {:03} (sinh tự động)\tward\t{city}\t2025-07-01\t{stamp}",
            n + 1
        )?;
        ward_ids.push(id);
    }
    writeln!(out, "\\.")?;

    let list_id = |ward: usize| FIRST_GENERATED_UNIT_ID + ward;
    writeln!(
        out,
        "COPY ward_lists (id, campaign_id, ward_id, status, created_at, updated_at) FROM STDIN;"
    )?;
    for (n, ward_id) in ward_ids.iter().enumerate() {
        writeln!(
            out,
            "{}\t{campaign}\t{ward_id}\tdraft\t{stamp}\t{stamp}",
            list_id(n)
        )?;
    }
    writeln!(out, "\\.")?;

    // Who is where: the first generated ward (its code and name are its own, unlike the
    // seeded wards' codes, which pre-2025 wards share) gets exactly FIRST_WARD_PEOPLE, the
    // others share the rest with weights from 1 to 4 (wards differ in size).
    let big_ward = seeded;
    let mut rng = Rng(0x4349_5459_2026);
    let weights: Vec<usize> = (1..WARDS).map(|_| 1 + rng.below(4)).collect();
    let total_weight: usize = weights.iter().sum();
    let mut people = Vec::with_capacity(PEOPLE);
    for i in 0..PEOPLE {
        let ward = if i < FIRST_WARD_PEOPLE {
            big_ward
        } else {
            let mut at = rng.below(total_weight);
            let mut ward = 0;
            for w in &weights {
                if at < *w {
                    break;
                }
                at -= w;
                ward += 1;
            }
            // Every ward but the big one shares the rest.
            if ward >= big_ward { ward + 1 } else { ward }
        };
        // Merit people are spread over the whole range (every i with the right residue).
        let merit = (i * MERIT_PEOPLE / PEOPLE != (i + 1) * MERIT_PEOPLE / PEOPLE)
            .then(|| rng.below(MERIT.len()));
        people.push(Person {
            ward,
            merit,
            social: rng.below(SOCIAL.len()),
            entry_key: String::new(),
        });
    }

    writeln!(
        out,
        "COPY people (id, full_name, name_key, birth_year, gender, national_id, address, \
         khu_pho, ward_id, status, created_at, updated_at, address_key) FROM STDIN;"
    )?;
    // The last NAME_TWINS * 2 people form the twins: each odd one copies the even one before
    // it into another ward, without citizen IDs.
    let twins_from = PEOPLE - 2 * NAME_TWINS;
    let mut previous: Option<(String, u32, String)> = None;
    for (i, person) in people.iter_mut().enumerate() {
        let id = i + 1;
        let (name, year, address) = match previous.take() {
            Some(twin) if i >= twins_from && (i - twins_from) % 2 == 1 => {
                person.ward = (person.ward + 1 + rng.below(WARDS - 1)) % WARDS;
                twin
            }
            _ => {
                let name = format!(
                    "{} {} {}",
                    rng.pick(&SURNAMES),
                    rng.pick(&MIDDLE),
                    rng.pick(&GIVEN)
                );
                let year = 1930 + rng.below(60) as u32;
                let address = format!("{} {}", 1 + rng.below(400), rng.pick(&STREETS));
                (name, year, address)
            }
        };
        let national_id = if i >= twins_from {
            "\\N".to_owned()
        } else {
            format!("079{:09}", id)
        };
        let gender = if rng.below(2) == 0 { "male" } else { "female" };
        let khu_pho = 1 + rng.below(12);
        let name_key = chamlo_vn::text::name_key(&name);
        person.entry_key = chamlo_vn::text::entry_name_key(&name_key);
        writeln!(
            out,
            "{id}\t{name}\t{}\t{year}\t{gender}\t{national_id}\t{address}\tKhu phố {khu_pho}\t{}\tactive\t{stamp}\t{stamp}\t{}",
            name_key,
            ward_ids[person.ward],
            chamlo_vn::text::address_key(&address).unwrap_or_else(|| "\\N".to_owned()),
        )?;
        if i >= twins_from && (i - twins_from).is_multiple_of(2) {
            previous = Some((name, year, address));
        }
    }
    writeln!(out, "\\.")?;

    writeln!(
        out,
        "COPY entries (campaign_id, ward_list_id, ward_id, program_id, person_id, category_id, \
         amount, status, source_row, created_at, updated_at, name_key) FROM STDIN;"
    )?;
    let mut rows_in_ward = vec![0usize; WARDS];
    let mut entry = |out: &mut BufWriter<_>,
                     ward: usize,
                     program: &str,
                     person: usize,
                     category_id: usize,
                     amount: i64,
                     key: &str|
     -> std::io::Result<()> {
        rows_in_ward[ward] += 1;
        writeln!(
            out,
            "{campaign}\t{}\t{}\t{program}\t{person}\t{category_id}\t{amount}\tpending\t{}\t{stamp}\t{stamp}\t{key}",
            list_id(ward),
            ward_ids[ward],
            rows_in_ward[ward] + 6,
        )
    };
    let mut entries = 0usize;
    for (i, person) in people.iter().enumerate() {
        let (code, amount) = match person.merit {
            Some(m) => (MERIT[m].0, MERIT[m].1),
            None => SOCIAL[person.social],
        };
        entry(
            &mut out,
            person.ward,
            program_city,
            i + 1,
            category(code)?,
            amount,
            &person.entry_key,
        )?;
        entries += 1;
        if let Some(m) = person.merit {
            entry(
                &mut out,
                person.ward,
                program_national,
                i + 1,
                category(code)?,
                MERIT[m].2,
                &person.entry_key,
            )?;
            entries += 1;
        }
    }
    // Listed twice: people spread over the range, listed again by another ward in the city's
    // program under a social-protection category (so the unique key allows it).
    let step = twins_from / LISTED_TWICE;
    for k in 0..LISTED_TWICE {
        let i = k * step + step / 2;
        let person = &people[i];
        let other = (person.ward + 1 + rng.below(WARDS - 1)) % WARDS;
        let (code, amount) = SOCIAL[(person.social + 1) % SOCIAL.len()];
        let code = if person.merit.is_some() {
            SOCIAL[person.social].0
        } else {
            code
        };
        entry(
            &mut out,
            other,
            program_city,
            i + 1,
            category(code)?,
            amount,
            &person.entry_key,
        )?;
        entries += 1;
    }
    writeln!(out, "\\.")?;
    // VACUUM as well as ANALYZE: a deployment's autovacuum would do both within minutes of
    // such a load, and until the visibility map is set, PostgreSQL cannot answer a list's
    // page or search from its index alone (it visits every row); a machine with autovacuum
    // off (this one) would otherwise measure a database no deployment runs on.
    writeln!(
        out,
        "SELECT setval(pg_get_serial_sequence('people', 'id'), (SELECT MAX(id) FROM people));\n\
         SELECT setval(pg_get_serial_sequence('units', 'id'), (SELECT MAX(id) FROM units));\n\
         SELECT setval(pg_get_serial_sequence('ward_lists', 'id'), (SELECT MAX(id) FROM ward_lists));\n\
         COMMIT;\nVACUUM (ANALYZE);"
    )?;
    out.flush()?;
    eprintln!(
        "city data: {WARDS} wards, {PEOPLE} people, {entries} entries ({LISTED_TWICE} listed twice, {NAME_TWINS} name twins)"
    );
    Ok(())
}
