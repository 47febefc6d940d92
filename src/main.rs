use clap::Parser;

use backroom::{app::startup::StartupError, cli, config::Settings, telemetry};

// Many small, short-lived allocations per message (JSON, HTTP, rows): mimalloc
// serves them markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    // A missing .env is normal; a broken one is reported by the settings check.
    let _ = dotenvy::dotenv();
    let cli = cli::Cli::parse();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("backroom: {e}");
            std::process::exit(2);
        }
    };
    telemetry::init(settings.log_format);
    if let Err(e) = cli::run(cli, settings).await {
        // A first-run mistake (no database, busy port) is one line saying what
        // to do; the chain and a log line around it would only bury that.
        if let Some(line) = e.downcast_ref::<StartupError>() {
            eprintln!("backroom: {line}");
            std::process::exit(1);
        }
        tracing::error!("{e:#}");
        eprintln!("backroom: {e:#}");
        std::process::exit(1);
    }
}
