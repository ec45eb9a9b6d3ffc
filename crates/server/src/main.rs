//! `harrastuspassi`: the hobby pass backend. `serve` (the default) runs the HTTP service;
//! the other subcommands migrate, run jobs and load demo data against the same database.

use anyhow::Context;
use clap::{CommandFactory, Parser, Subcommand};
use harrastuspassi::config::{Config, DataArgs, GeocodingArgs, ImageArgs, LogFormat, MediaArgs};
use harrastuspassi::database::{self, Contents};
use harrastuspassi::{admin_cli, app, demo, django_cli, geocode_cli, import_cli, jobs, media_cli};
use hp_app::media::MediaStore;
use hp_db::Db;
use hp_domain::time::Clock;
use std::process::ExitCode;

/// mimalloc: glibc's allocator showed lock contention under concurrent requests.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long a stopping server waits for its database connections to be returned.
const DB_CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Parser)]
#[command(name = "harrastuspassi", version, about = "Harrastuspassi (hobby pass) backend")]
struct Cli {
    /// Log output: human-readable or one JSON object per line.
    #[arg(long, env = "HARRASTUSPASSI_LOG_FORMAT", value_enum, default_value = "pretty", global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Option<Command>,
}

/// Each command takes the options it uses: the database ones ([`DataArgs`]) where it opens
/// the database, the image store ones where it stores images, everything else only `serve`.
#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (the default).
    Serve(Box<Config>),
    /// Create or update the database schema, then exit.
    Migrate(DataArgs),
    /// Importers: the ontology, LIPAS, Linked Courses/Events.
    Import {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        media: MediaArgs,
        #[command(flatten)]
        images: ImageArgs,
        #[command(subcommand)]
        command: import_cli::ImportCommand,
    },
    /// Copy a Django deployment's database (and media, and JWT key) into this service, ids
    /// kept, in one transaction; refuses a target that holds data unless --replace.
    ImportDjango(django_cli::ImportDjangoArgs),
    /// Fill in missing coordinates of user-created locations through the geocoding service.
    GeocodeLocations {
        /// Requests per second at most.
        #[arg(long, default_value_t = 10)]
        per_second: u32,
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        geocoding: GeocodingArgs,
    },
    /// Print the OpenAPI description of the API (JSON, or YAML with --yaml).
    Openapi {
        #[arg(long)]
        yaml: bool,
    },
    /// Recompute every hobby's next event (also run daily by the server).
    UpdateNextEvents(DataArgs),
    /// Users: create, set-password, deactivate, list.
    User {
        #[command(flatten)]
        data: DataArgs,
        #[command(subcommand)]
        command: admin_cli::UserCommand,
    },
    /// API tokens: create, revoke, list.
    Token {
        #[command(flatten)]
        data: DataArgs,
        #[command(subcommand)]
        command: admin_cli::TokenCommand,
    },
    /// Municipalities and their moderators.
    Municipality {
        #[command(flatten)]
        data: DataArgs,
        #[command(subcommand)]
        command: admin_cli::MunicipalityCommand,
    },
    /// Hobby categories.
    Category {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        media: MediaArgs,
        #[command(flatten)]
        images: ImageArgs,
        #[command(subcommand)]
        command: admin_cli::CategoryCommand,
    },
    /// Stored images.
    Media {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        media: MediaArgs,
        #[command(subcommand)]
        command: media_cli::MediaCommand,
    },
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
        #[command(flatten)]
        data: DataArgs,
    },
}

/// The command line; without a command it is `serve` (its options then come from the
/// environment, as in a container whose command is not given).
fn parse() -> (LogFormat, Command) {
    let commands: Vec<String> = Cli::command().get_subcommands().map(|c| c.get_name().to_owned()).collect();
    let mut args = harrastuspassi::command_line::command_first(std::env::args_os().collect(), &commands, "serve");
    if let Cli { log_format, command: Some(command) } = Cli::parse_from(&args) {
        return (log_format, command);
    }
    args.push("serve".into());
    let cli = Cli::parse_from(args);
    (cli.log_format, cli.command.expect("serve was given"))
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

/// Opens the database of a command that is not `serve`, loading the bundled trees into a
/// new one.
async fn open_database(data: &DataArgs) -> anyhow::Result<Db> {
    database::open(data, &data.db_options(), Contents::Bundled).await
}

/// The state the administration commands write through.
async fn command_app(data: &DataArgs, media: MediaStore, images: Option<&ImageArgs>) -> anyhow::Result<hp_app::App> {
    let limits = images.map(ImageArgs::limits).unwrap_or_default();
    Ok(app::command_app(open_database(data).await?, Clock::system(), media, limits))
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

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(config) => {
            config.check_serving()?;
            let db = database::open(&config.data, &config.db_options(), Contents::Bundled).await?;
            let clock = Clock::system();
            let state = app::state(&config, db.clone(), clock.clone())?;
            if config.scheduler {
                tokio::spawn(jobs::run_daily(jobs::JobContext {
                    db: db.clone(),
                    clock: clock.clone(),
                    images: import_cli::MediaImages { media: state.app.media.clone(), limits: config.images.limits() },
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
            // Closing waits for every pooled connection to come back. Once in a write
            // benchmark's stop (SQLite, requests cut off by the load generator) one never
            // did and the process hung after its last request; a stopping process must end.
            if tokio::time::timeout(DB_CLOSE_WAIT, db.close()).await.is_err() {
                tracing::warn!("database connections still in use at exit; closing without them");
            }
        }
        Command::Import { data, media, images, command } => {
            let images = import_cli::MediaImages { media: media.media_store(&data.data_dir)?, limits: images.limits() };
            println!(
                "{}",
                import_cli::run(&open_database(&data).await?, &images, Clock::system().now(), command).await?
            )
        }
        Command::ImportDjango(args) => {
            // A new database gets no bundled tree: the old one comes. A dry run brings
            // nothing, so the database it created is left as any new one (the imported trees
            // replace the bundled ones later).
            let contents = if args.dry_run { Contents::Bundled } else { Contents::Brought };
            let db = database::open(&args.data, &args.data.db_options(), contents).await?;
            let images = import_cli::MediaImages {
                media: args.media.media_store(&args.data.data_dir)?,
                limits: args.images.limits(),
            };
            print!("{}", django_cli::run(&db, &images, args).await?);
            db.close().await;
        }
        Command::GeocodeLocations { per_second, data, geocoding } => {
            let db = open_database(&data).await?;
            println!("{}", geocode_cli::run(&db, geocoding.geocoder(), &Clock::system(), per_second).await?)
        }
        Command::Openapi { yaml } => {
            let document = hp_api::openapi::document();
            println!("{}", if yaml { document.to_yaml()? } else { document.to_pretty_json()? });
        }
        Command::Migrate(data) => {
            open_database(&data).await?.close().await;
            println!("database is up to date");
        }
        Command::UpdateNextEvents(data) => {
            let db = open_database(&data).await?;
            let changed = jobs::update_next_events(&db, &Clock::system()).await?;
            println!("Updated {changed} hobbies");
        }
        Command::User { data, command } => {
            let app = command_app(&data, MediaStore::none(), None).await?;
            println!("{}", admin_cli::user(&app, command).await?)
        }
        Command::Token { data, command } => {
            let app = command_app(&data, MediaStore::none(), None).await?;
            println!("{}", admin_cli::token(&app, command).await?)
        }
        Command::Municipality { data, command } => {
            let app = command_app(&data, MediaStore::none(), None).await?;
            println!("{}", admin_cli::municipality(&app, command).await?)
        }
        Command::Category { data, media, images, command } => {
            let app = command_app(&data, media.media_store(&data.data_dir)?, Some(&images)).await?;
            println!("{}", admin_cli::category(&app, command).await?)
        }
        Command::Media { data, media, command: media_cli::MediaCommand::Clean { dry_run, min_age_minutes } } => {
            let (db, media) = (open_database(&data).await?, media.media_store(&data.data_dir)?);
            println!("{}", media_cli::clean(&db, &media, dry_run, min_age_minutes, Clock::system().now()).await?)
        }
        Command::Demo { scale, seed, replace, data } => {
            let db = open_database(&data).await?;
            let started = std::time::Instant::now();
            let summary = demo::load(&db, &Clock::system(), demo::DemoOptions { scale, seed, replace }).await?;
            println!("{summary} in {:.1} s", started.elapsed().as_secs_f64());
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let (log_format, command) = parse();
    init_logging(log_format);
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Command::Serve(config) = &command {
        if let Some(workers) = config.workers {
            runtime.worker_threads(workers);
        }
    }
    let runtime = match runtime.enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
