//! `gongkai demo-data`: a generated province for benchmarks (spec/api.md) — an organ tree with
//! applications, their ledgers, items and appeals spread over it, deterministic for a seed.
//! The work is `Store::generate_demo_data`; here are the arguments, the checks of the year
//! against today's date, and the summary. Standard output gets `key=value` lines (root organ,
//! busiest organ, counts) for scripts such as `bench/report.sh`; the sentence goes to stderr.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use gongkai_store::Actor;
use gongkai_store::demo_data::DemoSpec;

use crate::platform_cmd::{DbArgs, load_config, now, open, runtime};

/// Arguments of `gongkai demo-data`.
#[derive(Debug, Args)]
pub struct DemoDataArgs {
    /// Organs in the tree: a provincial government, cities, counties and their departments.
    #[arg(long, value_name = "N")]
    organs: usize,
    /// Applications, received over the year (and a few in the last weeks of the year before).
    #[arg(long, value_name = "M")]
    applications: usize,
    /// Information items (主动公开).
    #[arg(long, value_name = "K", default_value_t = 0)]
    items: usize,
    /// The statistical year; it must be over (31 December before today, Beijing time).
    #[arg(long, value_name = "YEAR")]
    year: i32,
    /// The seed: the same arguments and seed give the same rows.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    #[command(flatten)]
    db: DbArgs,
}

/// `gongkai demo-data`.
pub fn run(args: DemoDataArgs) -> anyhow::Result<ExitCode> {
    let today = crate::calendar_cmd::beijing_today();
    if args.year >= today.year() {
        bail!(
            "--year {}: the year must be over (today is {today}); cases still open on its 31 December are left open",
            args.year
        );
    }
    if args.organs == 0 {
        bail!("--organs: at least 1 (the provincial government)");
    }
    let config = load_config(&args.db)?;
    let spec = DemoSpec {
        organs: args.organs,
        applications: args.applications,
        items: args.items,
        year: args.year,
        seed: args.seed,
    };
    runtime()?.block_on(async {
        let store = open(&config).await?;
        let cal = store.calendar().await.context("reading the calendar")?;
        let started = Instant::now();
        let summary = store
            .generate_demo_data(&Actor::system("demo-data"), now(), &cal, &spec)
            .await
            .context("generating the province")?;
        eprintln!(
            "generated in {:.1} s: {} organs, {} applications with {} ledger events, {} items, {} appeals (year {}, seed {})",
            started.elapsed().as_secs_f64(),
            summary.organs,
            summary.applications,
            summary.events,
            summary.items,
            summary.appeals,
            spec.year,
            spec.seed
        );
        println!("root_organ={}", summary.root);
        if let Some((id, name, count)) = &summary.busiest {
            println!("busiest_organ={id}");
            println!("busiest_organ_name={name}");
            println!("busiest_organ_applications={count}");
        }
        println!("organs={}", summary.organs);
        println!("applications={}", summary.applications);
        println!("case_events={}", summary.events);
        println!("items={}", summary.items);
        println!("appeals={}", summary.appeals);
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
