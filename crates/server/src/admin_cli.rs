//! Administration from the command line: users, API tokens, municipalities and their
//! moderators, categories. Each command prints what it did and fails with a clear message on
//! bad input; changes go to the database the running servers use, so they apply at once.

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use hp_app::{App, AppError, Superuser};
use hp_db::accounts::{self, UserProfile};
use hp_db::schema::TreeTable;
use hp_db::{municipalities, Db};
use std::io::Read;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; prints its id.
    Create {
        #[arg(long)]
        username: String,
        #[command(flatten)]
        password: PasswordSource,
        #[arg(long)]
        superuser: bool,
        #[arg(long)]
        staff: bool,
        #[arg(long, default_value = "")]
        first_name: String,
        #[arg(long, default_value = "")]
        last_name: String,
        #[arg(long, default_value = "")]
        email: String,
    },
    /// Set a user's password.
    SetPassword {
        username: String,
        #[command(flatten)]
        password: PasswordSource,
    },
    /// Deactivate a user: no login, no tokens.
    Deactivate { username: String },
    /// List users.
    List,
}

#[derive(Debug, Clone, clap::Args)]
#[group(required = false, multiple = false)]
pub struct PasswordSource {
    /// The password (visible in the process list; prefer --password-stdin).
    #[arg(long)]
    password: Option<String>,
    /// Read the password from standard input.
    #[arg(long)]
    password_stdin: bool,
}

impl PasswordSource {
    /// The password, if one was given.
    fn read(&self) -> Result<Option<String>> {
        if self.password_stdin {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("cannot read the password from standard input")?;
            return Ok(Some(text.trim_end_matches(['\n', '\r']).to_owned()));
        }
        Ok(self.password.clone())
    }
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create (or replace) a user's API token; prints the key, which is not stored.
    Create {
        #[arg(long)]
        user: String,
    },
    /// Revoke a user's API token.
    Revoke {
        #[arg(long)]
        user: String,
    },
    /// List tokens (their first characters only).
    List,
}

#[derive(Debug, Subcommand)]
pub enum MunicipalityCommand {
    /// Create a municipality; prints its id.
    Create { name: String },
    /// Make a user a moderator of a municipality (given by its id or its name).
    AddModerator { municipality: String, username: String },
    /// Remove a moderator (the municipality given by its id or its name).
    RemoveModerator { municipality: String, username: String },
    /// List municipalities and their moderators.
    List,
}

#[derive(Debug, Subcommand)]
pub enum CategoryCommand {
    /// Create a hobby category; prints its id.
    Create {
        #[arg(long)]
        name_fi: String,
        #[arg(long)]
        name_en: Option<String>,
        #[arg(long)]
        name_sv: Option<String>,
        #[arg(long)]
        parent: Option<i64>,
    },
    /// Set a category's cover image from a JPEG, PNG, GIF or WebP file (or --clear it).
    SetImage {
        id: i64,
        file: Option<std::path::PathBuf>,
        #[arg(long)]
        clear: bool,
    },
}

async fn user_id(db: &Db, username: &str) -> Result<i64> {
    Ok(accounts::by_username(&mut db.conn().await?, username).await?.ok_or_else(|| anyhow!("no user {username:?}"))?.id)
}

/// A municipality given by its id or by its (exact) name.
async fn municipality_id(db: &Db, given: &str) -> Result<i64> {
    if let Ok(id) = given.trim().parse() {
        return Ok(id);
    }
    let all = municipalities::list(&mut db.conn().await?).await?;
    match all.iter().filter(|m| m.name == given.trim()).map(|m| m.id).collect::<Vec<_>>()[..] {
        [id] => Ok(id),
        [] => bail!("no municipality {given}"),
        _ => bail!("several municipalities are named {given}: give the id (municipality list)"),
    }
}

pub async fn user(app: &App, command: UserCommand) -> Result<String> {
    use hp_app::accounts as writes;
    let (db, operator) = (&app.db, Superuser::command_line_operator());
    match command {
        UserCommand::Create { username, password, superuser, staff, first_name, last_name, email } => {
            let profile = UserProfile {
                username,
                first_name,
                last_name,
                email,
                is_active: true,
                is_staff: staff || superuser,
                is_superuser: superuser,
            };
            let password = password.read()?;
            let id = writes::create_user(app, operator, &profile, password.as_deref()).await.map_err(as_cli_error)?;
            Ok(id.to_string())
        }
        UserCommand::SetPassword { username, password } => {
            let password = password.read()?.ok_or_else(|| anyhow!("give --password or --password-stdin"))?;
            let id = user_id(db, &username).await?;
            writes::set_password(app, operator, id, &password, None).await.map_err(as_cli_error)?;
            Ok(format!("password of {username} set"))
        }
        UserCommand::Deactivate { username } => {
            let id = user_id(db, &username).await?;
            writes::deactivate(app, operator, id).await.map_err(as_cli_error)?;
            Ok(format!("{username} deactivated"))
        }
        UserCommand::List => {
            let users = accounts::list(&mut db.conn().await?).await?;
            Ok(users
                .iter()
                .map(|u| {
                    let mut flags = Vec::new();
                    if !u.is_active {
                        flags.push("inactive");
                    }
                    if u.is_superuser {
                        flags.push("superuser");
                    } else if u.is_staff {
                        flags.push("staff");
                    }
                    format!("{}\t{}\t{} {}\t{}", u.id, u.username, u.first_name, u.last_name, flags.join(","))
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }
}

pub async fn token(app: &App, command: TokenCommand) -> Result<String> {
    let db = &app.db;
    match command {
        TokenCommand::Create { user } => {
            let id = user_id(db, &user).await?;
            Ok(hp_app::accounts::create_token(app, Superuser::command_line_operator(), id)
                .await
                .map_err(as_cli_error)?)
        }
        TokenCommand::Revoke { user } => {
            let id = user_id(db, &user).await?;
            let mut tx = db.begin().await?;
            let removed = accounts::delete_token_of_user(&mut tx, id).await?;
            tx.commit().await?;
            if removed == 0 {
                bail!("{user} has no token");
            }
            Ok(format!("token of {user} revoked"))
        }
        TokenCommand::List => {
            let mut conn = db.conn().await?;
            let users = accounts::list(&mut conn).await?;
            let tokens = accounts::list_tokens(&mut conn).await?;
            Ok(tokens
                .iter()
                .map(|t| {
                    let owner = users.iter().find(|u| u.id == t.user_id).map(|u| u.username.as_str()).unwrap_or("?");
                    let used = t.last_used_at.map(|at| at.to_rfc3339()).unwrap_or_else(|| "never used".into());
                    format!("{}…\t{owner}\tcreated {}\t{used}", t.key_prefix, t.created_at.to_rfc3339())
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }
}

pub async fn municipality(app: &App, command: MunicipalityCommand) -> Result<String> {
    use hp_app::municipalities as writes;
    let (db, operator) = (&app.db, Superuser::command_line_operator());
    match command {
        MunicipalityCommand::Create { name } => {
            Ok(writes::create(app, operator, &name).await.map_err(as_cli_error)?.to_string())
        }
        MunicipalityCommand::AddModerator { municipality, username } => {
            let (id, user) = (municipality_id(db, &municipality).await?, user_id(db, &username).await?);
            let added = match writes::add_moderator(app, operator, id, user).await {
                Err(AppError::NotFound) => bail!("no municipality {municipality}"),
                other => other.map_err(as_cli_error)?,
            };
            Ok(if added {
                format!("{username} moderates {municipality}")
            } else {
                format!("{username} moderated {municipality} already")
            })
        }
        MunicipalityCommand::RemoveModerator { municipality, username } => {
            let (id, user) = (municipality_id(db, &municipality).await?, user_id(db, &username).await?);
            if !writes::remove_moderator(app, operator, id, user).await.map_err(as_cli_error)? {
                bail!("{username} is not a moderator of {municipality}");
            }
            Ok(format!("{username} no longer moderates {municipality}"))
        }
        MunicipalityCommand::List => {
            let mut conn = db.conn().await?;
            let users = accounts::list(&mut conn).await?;
            let moderators = municipalities::all_moderators(&mut conn).await?;
            let mut lines = Vec::new();
            for m in municipalities::list(&mut conn).await? {
                let names: Vec<&str> = moderators
                    .get(&m.id)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| users.iter().find(|u| u.id == *id))
                    .map(|u| u.username.as_str())
                    .collect();
                lines.push(format!("{}\t{}\t{}", m.id, m.name, names.join(",")));
            }
            Ok(lines.join("\n"))
        }
    }
}

pub async fn category(app: &App, command: CategoryCommand) -> Result<String> {
    match command {
        CategoryCommand::SetImage { id, file, clear } => {
            crate::media_cli::set_category_image(app, id, file, clear).await
        }
        CategoryCommand::Create { name_fi, name_en, name_sv, parent } => {
            let form = hp_app::categories::CategoryForm {
                name_fi,
                name_en: name_en.unwrap_or_default(),
                name_sv: name_sv.unwrap_or_default(),
                parent,
            };
            let operator = Superuser::command_line_operator();
            let id =
                hp_app::categories::create(app, operator, TreeTable::Categories, &form).await.map_err(as_cli_error)?;
            Ok(id.to_string())
        }
    }
}

/// An error of a use case as a command-line message (`field: message`).
pub fn as_cli_error(error: AppError) -> anyhow::Error {
    match error {
        AppError::Invalid(errors) => {
            let lines: Vec<String> = errors
                .fields()
                .flat_map(|(field, messages)| messages.iter().map(move |m| format!("{field}: {m}")))
                .collect();
            anyhow!("{}", lines.join("; "))
        }
        AppError::NotFound => anyhow!("no such object"),
        other => anyhow!("{other}"),
    }
}
