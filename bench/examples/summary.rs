//! Prints the last bench run as a Markdown table: ms per operation (criterion's estimate), per implementation
//! and m-section count, read from criterion's `<target dir>/criterion/**/new/*.json`.
//!
//!     CARGO_TARGET_DIR=/work/main/target cargo run --example summary --manifest-path bench/Cargo.toml
//!
//! The criterion directory is the first argument, else `$CARGO_TARGET_DIR/criterion`, else
//! `target/criterion`.

#![allow(clippy::print_stdout, reason = "it prints a table")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tacet_bench::{SIZES, chromium_offer};

/// Collects `full_id -> ns per iteration` from every `new/` result under `dir`.
fn collect(dir: &Path, out: &mut BTreeMap<String, f64>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|f| f == "new") {
            let read = |f: &str| -> Option<Value> {
                serde_json::from_str(&std::fs::read_to_string(path.join(f)).ok()?).ok()
            };
            let (Some(bench), Some(est)) = (read("benchmark.json"), read("estimates.json")) else {
                continue;
            };
            if let (Some(id), Some(mean)) = (
                bench["full_id"].as_str(),
                // What criterion prints: the slope for linear sampling, else the mean.
                est["slope"]["point_estimate"]
                    .as_f64()
                    .or_else(|| est["mean"]["point_estimate"].as_f64()),
            ) {
                out.insert(id.to_owned(), mean);
            }
        } else {
            collect(&path, out);
        }
    }
}

fn main() {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("criterion"))
        })
        .unwrap_or_else(|| PathBuf::from("target/criterion"));
    let mut means = BTreeMap::new();
    collect(&dir, &mut means);
    if means.is_empty() {
        println!("no criterion results under {}", dir.display());
        return;
    }
    // `<impl>/<op>/<n>` -> rows `<impl> <op>`, columns n.
    let mut rows: BTreeMap<(String, String), BTreeMap<usize, f64>> = BTreeMap::new();
    for (id, mean) in &means {
        let parts: Vec<&str> = id.split('/').collect();
        if let [name, op, n] = parts[..]
            && let Ok(n) = n.parse::<usize>()
        {
            rows.entry((op.to_owned(), name.to_owned()))
                .or_default()
                .insert(n, mean / 1e6);
        }
    }
    print!("| op | implementation |");
    for n in SIZES {
        print!(" n={n} (ms) |");
    }
    println!();
    println!("|---|---|{}", "---:|".repeat(SIZES.len()));
    for ((op, name), by_n) in &rows {
        print!("| {op} | {name} |");
        for n in SIZES {
            match by_n.get(&n) {
                Some(ms) if *ms < 0.1 => print!(" {ms:.4} |"),
                Some(ms) => print!(" {ms:.2} |"),
                None => print!(" — |"),
            }
        }
        println!();
    }
    print!("| bytes | (per m-section) |");
    for n in SIZES {
        let len = chromium_offer(n).len();
        print!(" {len} ({:.0}) |", len as f64 / n as f64);
    }
    println!();
}
