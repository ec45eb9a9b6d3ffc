//! The report of an import: rows per table in the source and in the target (which must be
//! equal), what the target held before, and what was not carried over and why.

use super::grants::GrantReview;
use super::media::MediaReport;
use super::source::{Snapshot, CARRIED};
use super::Options;
use hp_domain::passwords::{scheme, Scheme};
use std::fmt;

#[derive(Debug)]
pub struct Report {
    /// (source table, source rows, target table, target rows).
    pub tables: Vec<(&'static str, i64, &'static str, i64)>,
    /// Rows the target held before and that were replaced.
    pub replaced: Vec<(String, i64)>,
    pub next_events: u64,
    pub grants: GrantReview,
    pub media: MediaReport,
    /// Users by how their password hash signs in: (PBKDF2, unusable, others as "id username: algorithm").
    pub passwords: (usize, usize, Vec<String>),
    /// (source table, rows, what became of them) for the tables not copied as rows.
    pub not_carried: Vec<(&'static str, i64, &'static str)>,
    pub dry_run: bool,
}

impl Report {
    pub fn new(
        snapshot: &Snapshot,
        before: Vec<(String, i64)>,
        after: Vec<(String, i64)>,
        next_events: u64,
        grants: GrantReview,
        media: MediaReport,
        options: &Options,
    ) -> Self {
        let target_count = |table: &str| after.iter().find(|(t, _)| *t == table).map(|(_, c)| *c).unwrap_or(0);
        let tables = CARRIED
            .iter()
            .map(|(source, target)| (*source, snapshot.count(source), *target, target_count(target)))
            .collect();
        let not_carried = vec![
            ("django_session", snapshot.count("django_session"), "browser sessions end: users sign in again"),
            (
                "guardian_userobjectpermission",
                snapshot.count("guardian_userobjectpermission"),
                "rights follow creator, moderators and superusers; records the rule does not explain are listed below",
            ),
            ("guardian_groupobjectpermission", snapshot.count("guardian_groupobjectpermission"), "listed below"),
            ("auth_user_user_permissions", snapshot.count("auth_user_user_permissions"), "listed below"),
            ("auth_group", snapshot.count("auth_group"), "this service has no groups"),
            ("auth_user_groups", snapshot.count("auth_user_groups"), "this service has no groups"),
            ("auth_group_permissions", snapshot.count("auth_group_permissions"), "listed below"),
        ];
        let mut passwords = (0, 0, Vec::new());
        for user in &snapshot.users {
            match scheme(&user.password) {
                Scheme::DjangoPbkdf2 | Scheme::Argon2 => passwords.0 += 1,
                Scheme::Unusable => passwords.1 += 1,
                Scheme::Unsupported(algorithm) => {
                    passwords.2.push(format!("{} {}: {algorithm}", user.id, user.username))
                }
            }
        }
        Report {
            passwords,
            tables,
            replaced: before.into_iter().filter(|(_, count)| *count > 0).collect(),
            next_events,
            grants,
            media,
            not_carried,
            dry_run: options.dry_run,
        }
    }

    /// Tables whose counts differ.
    pub fn mismatches(&self) -> Vec<String> {
        self.tables
            .iter()
            .filter(|(_, source, _, target)| source != target)
            .map(|(s, source, t, target)| format!("{s} has {source} rows but {t} has {target}"))
            .collect()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let heading = if self.dry_run { "Dry run (rolled back, nothing stored)" } else { "Imported" };
        writeln!(f, "{heading}:")?;
        writeln!(f, "  {:<40} {:>8}   {:<26} {:>8}", "Django table", "rows", "table here", "rows")?;
        for (source, source_rows, target, target_rows) in &self.tables {
            let mark = if source_rows == target_rows { "" } else { "  MISMATCH" };
            writeln!(f, "  {source:<40} {source_rows:>8}   {target:<26} {target_rows:>8}{mark}")?;
        }
        writeln!(f, "  next event recomputed for each of the {} hobbies", self.next_events)?;
        if !self.replaced.is_empty() {
            let replaced: Vec<String> = self.replaced.iter().map(|(t, c)| format!("{c} {t}")).collect();
            writeln!(f, "Replaced what the target held: {}", replaced.join(", "))?;
        }
        let (usable, unusable, unsupported) = &self.passwords;
        writeln!(
            f,
            "Passwords: {usable} kept (each rehashed to argon2id at the user's next sign-in), {unusable} without password \
             sign-in, {} in a format this service cannot check",
            unsupported.len()
        )?;
        for line in unsupported {
            writeln!(f, "  needs a new password (harrastuspassi user set-password): user {line}")?;
        }
        writeln!(f, "Not carried as rows:")?;
        for (table, rows, what) in &self.not_carried {
            writeln!(f, "  {table:<40} {rows:>8}   {what}")?;
        }
        writeln!(
            f,
            "Object permissions: {} given anyway by the rule, {} of objects that no longer exist, {} not explained",
            self.grants.explained,
            self.grants.stale,
            self.grants.unexplained.len()
        )?;
        if !self.grants.unexplained.is_empty() {
            writeln!(f, "Permissions not kept (grant edit rights here by making the user a moderator or superuser):")?;
            for line in &self.grants.unexplained {
                writeln!(f, "  {line}")?;
            }
        }
        let media = &self.media;
        if media.from_directory {
            let verb = if self.dry_run { "found" } else { "copied" };
            writeln!(
                f,
                "Images: {} referenced, {} {verb}, {} missing",
                media.referenced,
                media.copied,
                media.missing.len()
            )?;
            for line in &media.missing {
                writeln!(f, "  missing: {line}")?;
            }
        } else {
            writeln!(f, "Images: {} referenced, not copied (no --media-from)", media.referenced)?;
        }
        Ok(())
    }
}
