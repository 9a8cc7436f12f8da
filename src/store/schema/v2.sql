-- Schema version 2: scheduled topic posts.

-- One schedule per server. Slots are anchor + k * every_secs (Unix
-- seconds, UTC); next_due is the next slot to post. `pending` is the topic
-- chosen for next_due while it is being posted, so a restart in between
-- posts the same topic (with the same nonce) instead of another one.
CREATE TABLE schedules (
    guild      INTEGER PRIMARY KEY,
    channel    INTEGER NOT NULL,
    every_secs INTEGER NOT NULL CHECK (every_secs > 0),
    at_minute  INTEGER CHECK (at_minute BETWEEN 0 AND 1439),
    anchor     INTEGER NOT NULL,
    next_due   INTEGER NOT NULL,
    pending    TEXT
);

-- The topics already posted in a server's current rotation cycle: each
-- topic is posted once before any repeats.
CREATE TABLE rotation (
    guild  INTEGER NOT NULL,
    intent TEXT    NOT NULL,
    PRIMARY KEY (guild, intent)
) WITHOUT ROWID;
