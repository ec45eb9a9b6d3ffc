//! What an edge hands a write use case: the typed input it read, and the field errors it
//! found reading it. Both go in together because a client gets every error at once, those
//! of reading and those only the use case can find (a related row that does not exist), in
//! the order of the fields.

use hp_domain::FieldErrors;

/// What kind of write an input is for: it decides which absent fields are errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    Create,
    /// PUT: required fields must be present; optional ones absent keep their values.
    Replace,
    /// PATCH: every field may be absent, and an absent field keeps its value.
    Patch,
}

impl WriteMode {
    pub fn requires_fields(self) -> bool {
        self != WriteMode::Patch
    }
}

/// A typed input with the errors found reading it. In the inputs, `None` means "not
/// given": on create the default, on an edit "keep what is stored".
#[derive(Debug)]
pub struct Submitted<T> {
    pub input: T,
    pub errors: FieldErrors,
}

impl<T> Submitted<T> {
    pub fn new(input: T, errors: FieldErrors) -> Self {
        Self { input, errors }
    }

    /// An input without reading errors (the command line, tests).
    pub fn valid(input: T) -> Self {
        Self { input, errors: FieldErrors::new() }
    }

    /// The input, or its reading errors when there are any.
    pub fn into_checked(self) -> Result<T, FieldErrors> {
        self.errors.into_result()?;
        Ok(self.input)
    }
}
