//! Opening the database for a command: connect, bring the schema up to date, and give a new
//! database the data it comes with, the bundled category and audience trees. They are loaded
//! only then: an operator who removed categories does not get them back from the next command.

use crate::config::DataArgs;
use anyhow::Context;
use hp_db::{Db, DbOptions};
use hp_domain::time::Clock;

/// Whether a new database gets the bundled trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    /// The bundled trees (every command but `import-django`).
    Bundled,
    /// Nothing: the command brings its own trees (`import-django` copies the old ones).
    Brought,
}

/// Connects with `options` and migrates; a new database gets the bundled trees unless the
/// command brings its own.
pub async fn open(data: &DataArgs, options: &DbOptions, contents: Contents) -> anyhow::Result<Db> {
    data.prepare_data_dir().context("cannot create the data directory")?;
    let db = Db::connect(options).await.context("cannot open the database")?;
    let new = db.is_new().await.context("cannot read the database's migrations")?;
    db.migrate().await.context("cannot migrate the database")?;
    if new && contents == Contents::Bundled {
        // Two processes creating one database both get here: the load takes the tree's lock
        // and loads only into an empty tree, so the second one loads nothing.
        hp_importers::ontology::seed_if_empty(&db, Clock::system().now())
            .await
            .context("cannot load the category tree")?;
    }
    Ok(db)
}
