-- Schema version 1: what people ask, and whether answers helped.
-- No user ids, names, message ids or links are ever stored. Time is kept
-- to the day (days since 1970-01-01, UTC). Guild ids (servers) are not
-- personal data; 0 stands for direct messages.

-- Every decision, counted per day, server, decision kind and entry.
CREATE TABLE decisions (
    day       INTEGER NOT NULL,
    guild     INTEGER NOT NULL,
    -- answer | clarify | fallback | emergency | smalltalk
    decision  TEXT    NOT NULL,
    -- the entry answered; for clarify and fallback the nearest entry, if
    -- any came close; '' otherwise
    intent    TEXT    NOT NULL,
    count     INTEGER NOT NULL,
    score_sum REAL    NOT NULL,
    PRIMARY KEY (day, guild, decision, intent)
) WITHOUT ROWID;

-- "Was this helpful?": one vote per person, server and entry. `person` is
-- a keyed hash (BLAKE3, secret key from the environment) of the person's
-- platform id, so votes can be replaced and forgotten, never traced back.
CREATE TABLE votes (
    person  BLOB    NOT NULL,
    guild   INTEGER NOT NULL,
    intent  TEXT    NOT NULL,
    helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    day     INTEGER NOT NULL,
    PRIMARY KEY (person, guild, intent)
) WITHOUT ROWID;
CREATE INDEX votes_by_guild_day ON votes (guild, day);

-- Questions the bot could not answer or had to clarify, only when
-- store.keep_unanswered_text is on, deleted after store.retention_days.
-- One row per day, server and set of terms: `text` is the first phrasing
-- seen (redacted: mentions, links, e-mail addresses and long numbers
-- removed), `count` how often it came.
CREATE TABLE unanswered (
    day      INTEGER NOT NULL,
    guild    INTEGER NOT NULL,
    -- the question's analysed terms, sorted and deduplicated
    tokens   TEXT    NOT NULL,
    decision TEXT    NOT NULL,
    nearest  TEXT    NOT NULL,
    text     TEXT    NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (day, guild, tokens)
) WITHOUT ROWID;
