//! `harrastuspassi`: the hobby pass backend. `serve` (the default) runs the HTTP service;
//! the other subcommands migrate, run jobs and load demo data against the same database.

use anyhow::Context;
use clap::{Parser, Subcommand};
use harrastuspassi::config::{Config, LogFormat};
use harrastuspassi::{admin_cli, app, demo, django_cli, geocode_cli, import_cli, jobs, media_cli};
use hp_db::Db;
use hp_domain::time::Clock;
use std::process::ExitCode;

/// mimalloc: glibc's allocator showed lock contention under concurrent requests.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "harrastuspassi", version, about = "Harrastuspassi (hobby pass) backend")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (the default).
    Serve,
    /// Create or update the database schema, then exit.
    Migrate,
    /// Importers: the ontology, LIPAS, Linked Courses/Events.
    #[command(subcommand)]
    Import(import_cli::ImportCommand),
    /// Copy a Django deployment's database (and media, and JWT key) into this service, ids
    /// kept, in one transaction; refuses a target that holds data unless --replace.
    ImportDjango(django_cli::ImportDjangoArgs),
    /// Fill in missing coordinates of user-created locations through the geocoding service.
    GeocodeLocations {
        /// Requests per second at most.
        #[arg(long, default_value_t = 10)]
        per_second: u32,
    },
    /// Print the OpenAPI description of the API (JSON, or YAML with --yaml).
    Openapi {
        #[arg(long)]
        yaml: bool,
    },
    /// Recompute every hobby's next event (also run daily by the server).
    UpdateNextEvents,
    /// Users: create, set-password, deactivate, list.
    #[command(subcommand)]
    User(admin_cli::UserCommand),
    /// API tokens: create, revoke, list.
    #[command(subcommand)]
    Token(admin_cli::TokenCommand),
    /// Municipalities and their moderators.
    #[command(subcommand)]
    Municipality(admin_cli::MunicipalityCommand),
    /// Hobby categories.
    #[command(subcommand)]
    Category(admin_cli::CategoryCommand),
    /// Stored images.
    #[command(subcommand)]
    Media(media_cli::MediaCommand),
    /// Load a generated, realistic demo data set.
    Demo {
        /// 1 = about 5,000 hobbies and 50,000 events; 0.1 to 10.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Delete a demo data set loaded before (and nothing else) first.
        #[arg(long)]
        replace: bool,
    },
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.init(),
    }
}

async fn open_database(config: &Config) -> anyhow::Result<Db> {
    config.prepare_data_dir().context("cannot create the data directory")?;
    let db = Db::connect_and_migrate(&config.db_options()).await.context("cannot open the database")?;
    hp_importers::ontology::seed_if_empty(&db, Clock::system().now()).await.context("cannot load the category tree")?;
    Ok(db)
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler can be installed");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("shutting down: finishing requests in flight");
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            config.check_serving()?;
            let db = open_database(&config).await?;
            let clock = Clock::system();
            let state = app::state(&config, db.clone(), clock.clone())?;
            if config.scheduler {
                tokio::spawn(jobs::run_daily(jobs::JobContext {
                    db: db.clone(),
                    clock: clock.clone(),
                    images: import_cli::MediaImages {
                        media: state.media.clone(),
                        limits: config.api_config().image_limits,
                    },
                    metrics: state.metrics.clone(),
                    schedule: config.schedule()?,
                }));
            }
            let address = format!("{}:{}", config.host, config.port);
            let listener =
                tokio::net::TcpListener::bind(&address).await.with_context(|| format!("cannot listen on {address}"))?;
            tracing::info!("harrastuspassi listening on http://{address}/api/");
            let mut options = config.serve_options();
            options.connections.max_connections =
                harrastuspassi::connections::fit_connection_cap(options.connections.max_connections);
            app::serve(listener, state, options, shutdown_signal()).await?;
            db.close().await;
        }
        Command::Import(command) => {
            let images =
                import_cli::MediaImages { media: config.media_store()?, limits: config.api_config().image_limits };
            println!(
                "{}",
                import_cli::run(&open_database(&config).await?, &images, Clock::system().now(), command).await?
            )
        }
        Command::ImportDjango(args) => {
            // Not `open_database`: the bundled category tree is not wanted, the old one comes.
            config.prepare_data_dir().context("cannot create the data directory")?;
            let db = Db::connect_and_migrate(&config.db_options()).await.context("cannot open the database")?;
            let images =
                import_cli::MediaImages { media: config.media_store()?, limits: config.api_config().image_limits };
            print!("{}", django_cli::run(&config, &db, &images, args).await?);
            db.close().await;
        }
        Command::GeocodeLocations { per_second } => {
            let db = open_database(&config).await?;
            println!("{}", geocode_cli::run(&db, config.geocoder(), &Clock::system(), per_second).await?)
        }
        Command::Openapi { yaml } => {
            let document = hp_api::openapi::document();
            println!("{}", if yaml { document.to_yaml()? } else { document.to_pretty_json()? });
        }
        Command::Migrate => {
            config.prepare_data_dir()?;
            Db::connect_and_migrate(&config.db_options()).await?;
            println!("database is up to date");
        }
        Command::UpdateNextEvents => {
            let db = open_database(&config).await?;
            let changed = jobs::update_next_events(&db, &Clock::system()).await?;
            println!("Updated {changed} hobbies");
        }
        Command::User(command) => {
            let state = app::state(&config, open_database(&config).await?, Clock::system())?;
            println!("{}", admin_cli::user(&state, command).await?)
        }
        Command::Token(command) => {
            let state = app::state(&config, open_database(&config).await?, Clock::system())?;
            println!("{}", admin_cli::token(&state, command).await?)
        }
        Command::Municipality(command) => {
            let state = app::state(&config, open_database(&config).await?, Clock::system())?;
            println!("{}", admin_cli::municipality(&state, command).await?)
        }
        Command::Category(command) => {
            let state = app::state(&config, open_database(&config).await?, Clock::system())?;
            println!("{}", admin_cli::category(&state, command).await?)
        }
        Command::Media(media_cli::MediaCommand::Clean { dry_run, min_age_minutes }) => {
            let (db, media) = (open_database(&config).await?, config.media_store()?);
            println!("{}", media_cli::clean(&db, &media, dry_run, min_age_minutes, Clock::system().now()).await?)
        }
        Command::Demo { scale, seed, replace } => {
            let db = open_database(&config).await?;
            let started = std::time::Instant::now();
            let summary = demo::load(&db, &Clock::system(), demo::DemoOptions { scale, seed, replace }).await?;
            println!("{summary} in {:.1} s", started.elapsed().as_secs_f64());
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.config.log_format);
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(workers) = cli.config.workers {
        runtime.worker_threads(workers);
    }
    let runtime = match runtime.enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
