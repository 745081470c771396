//! Writes the benchmark's district-wide list: `cargo run --release --example bench_data --
//! OUT.xlsx [ROWS]` (default 100,000 rows). The generator lives in benches/support/district_list.rs,
//! shared with the criterion benches.

#[path = "../benches/support/district_list.rs"]
mod district_list;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: bench_data OUT.xlsx [ROWS]")?;
    let rows: u32 = match args.next() {
        Some(n) => n.parse()?,
        None => 100_000,
    };
    std::fs::write(&out, district_list::district_list(rows)?)?;
    eprintln!("wrote {rows} rows to {out}");
    Ok(())
}
