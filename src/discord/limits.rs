//! Discord's size limits, counted in characters (Unicode scalar values), as
//! Discord counts them. Rendering never produces anything above these.

/// Message `content`.
pub const CONTENT: usize = 2000;
/// Embed title.
pub const EMBED_TITLE: usize = 256;
/// Embed description.
pub const EMBED_DESCRIPTION: usize = 4096;
/// Embed field name.
pub const FIELD_NAME: usize = 256;
/// Embed field value.
pub const FIELD_VALUE: usize = 1024;
/// Fields per embed.
pub const FIELDS: usize = 25;
/// Embed footer text.
pub const FOOTER: usize = 2048;
/// Sum of all embed text in one message (titles, descriptions, field names
/// and values, footers, author names).
pub const EMBED_TOTAL: usize = 6000;
/// Embeds per message.
pub const EMBEDS: usize = 10;
/// Autocomplete choices.
pub const CHOICES: usize = 25;
/// Autocomplete choice name.
pub const CHOICE_NAME: usize = 100;
/// Autocomplete choice value (a string).
pub const CHOICE_VALUE: usize = 100;
/// Buttons in one action row.
pub const BUTTONS_PER_ROW: usize = 5;
/// Action rows per message.
pub const ROWS: usize = 5;
/// Component `custom_id`.
pub const CUSTOM_ID: usize = 100;
/// Button label.
pub const BUTTON_LABEL: usize = 80;
/// Options in one select menu.
pub const SELECT_OPTIONS: usize = 25;
/// Select option label.
pub const OPTION_LABEL: usize = 100;
/// Select option value.
pub const OPTION_VALUE: usize = 100;
/// Select option description.
pub const OPTION_DESCRIPTION: usize = 100;
/// Select menu placeholder.
pub const PLACEHOLDER: usize = 150;
/// Command and option description.
pub const COMMAND_DESCRIPTION: usize = 100;
