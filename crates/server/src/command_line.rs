//! The command line as operators type it. Each command takes its own options, but scripts
//! written when every option was global put them before the command
//! (`harrastuspassi --database-url X user list`) or give no command at all
//! (`harrastuspassi --port 9000`, which is `serve`). Such a line is rewritten so the
//! command comes first and its options after it, where it reads them.

use std::ffi::OsString;

/// Flags of the program itself, answered before any command.
const PROGRAM_FLAGS: [&str; 4] = ["-h", "--help", "-V", "--version"];

/// `args` (the program first) with the command moved before the options that precede it,
/// or `default` inserted when the options name no command of `commands`.
pub fn command_first(mut args: Vec<OsString>, commands: &[String], default: &str) -> Vec<OsString> {
    let leads_with_option = args
        .get(1)
        .and_then(|first| first.to_str())
        .is_some_and(|first| first.starts_with('-') && !PROGRAM_FLAGS.contains(&first));
    if !leads_with_option {
        return args;
    }
    let is_command = |arg: &OsString| arg.to_str().is_some_and(|arg| commands.iter().any(|c| c == arg));
    match args.iter().skip(1).position(is_command) {
        Some(offset) => {
            let command = args.remove(offset + 1);
            args.insert(1, command);
        }
        None => args.insert(1, default.into()),
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Vec<OsString> {
        text.split(' ').map(OsString::from).collect()
    }

    fn rewritten(text: &str) -> String {
        let commands = ["serve".to_owned(), "user".to_owned(), "migrate".to_owned()];
        command_first(line(text), &commands, "serve").iter().map(|a| a.to_str().unwrap()).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn options_before_the_command_follow_it() {
        assert_eq!(rewritten("hp --database-url sqlite:x.db user list"), "hp user --database-url sqlite:x.db list");
        assert_eq!(rewritten("hp --data-dir=d --log-format json migrate"), "hp migrate --data-dir=d --log-format json");
    }

    #[test]
    fn options_without_a_command_are_serve_options() {
        assert_eq!(rewritten("hp --port 9000"), "hp serve --port 9000");
    }

    #[test]
    fn other_lines_are_left_as_they_are() {
        for text in ["hp", "hp user list", "hp --help", "hp -V", "hp user --database-url x list"] {
            assert_eq!(rewritten(text), text);
        }
    }
}
