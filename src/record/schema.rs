//! The record's schema, as numbered migrations. `PRAGMA user_version` says
//! how many have been applied; each runs once, in the transaction that
//! opens the record, so two first runs cannot both apply it.

/// Migration `i + 1` is `MIGRATIONS[i]`. Append only: a published school's
/// record has run the earlier ones.
pub(crate) const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11];

/// Published versions, events and the audit trail. Versions and events are
/// never updated or deleted: the triggers refuse it, so a bug cannot change
/// what was recorded.
const V1: &str = "
CREATE TABLE versions (
    week TEXT NOT NULL CHECK (length(week) = 10),
    version INTEGER NOT NULL CHECK (version >= 1),
    roster BLOB NOT NULL,
    published_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    PRIMARY KEY (week, version)
) WITHOUT ROWID;

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('absent', 'swap', 'cancel')),
    week TEXT NOT NULL,
    based_on INTEGER NOT NULL,
    date TEXT NOT NULL DEFAULT '',
    session TEXT NOT NULL DEFAULT '',
    duty_id TEXT NOT NULL DEFAULT '',
    staff_id TEXT NOT NULL DEFAULT '',
    other_id TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    FOREIGN KEY (week, based_on) REFERENCES versions (week, version)
);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    week TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER versions_kept_update BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'published versions are kept as they are'); END;
CREATE TRIGGER versions_kept_delete BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'published versions are kept as they are'); END;
CREATE TRIGGER events_kept_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'recorded events are kept as they are'); END;
CREATE TRIGGER events_kept_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'recorded events are kept as they are'); END;
CREATE TRIGGER audit_kept_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is kept as it is'); END;
CREATE TRIGGER audit_kept_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is kept as it is'); END;
";

/// The web app's accounts and sessions (`record::accounts`). A session is
/// stored by the hash of its token, never the token itself, so a copy of
/// the file does not let anyone log in.
const V2: &str = "
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'finance', 'leadership', 'teacher')),
    password_hash TEXT NOT NULL,
    must_change INTEGER NOT NULL DEFAULT 0,
    staff_id TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
";

/// Teachers' requests (an absence reported, a swap asked for) and the
/// vice-principal's answers (`record::requests`). Both are kept as they
/// are: an answer is a new row, never an update.
const V3: &str = "
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('absence', 'swap')),
    staff_id TEXT NOT NULL,
    from_date TEXT NOT NULL CHECK (length(from_date) = 10),
    to_date TEXT NOT NULL CHECK (length(to_date) = 10),
    duty_id TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    asked_at TEXT NOT NULL,
    who TEXT NOT NULL
);

CREATE TABLE request_answers (
    request_id INTEGER PRIMARY KEY REFERENCES requests (id),
    answer TEXT NOT NULL CHECK (answer IN ('done', 'declined')),
    note TEXT NOT NULL DEFAULT '',
    answered_at TEXT NOT NULL,
    who TEXT NOT NULL
);

CREATE TRIGGER requests_kept_update BEFORE UPDATE ON requests
BEGIN SELECT RAISE(ABORT, 'requests are kept as they are'); END;
CREATE TRIGGER requests_kept_delete BEFORE DELETE ON requests
BEGIN SELECT RAISE(ABORT, 'requests are kept as they are'); END;
CREATE TRIGGER answers_kept_update BEFORE UPDATE ON request_answers
BEGIN SELECT RAISE(ABORT, 'answers are kept as they are'); END;
CREATE TRIGGER answers_kept_delete BEFORE DELETE ON request_answers
BEGIN SELECT RAISE(ABORT, 'answers are kept as they are'); END;
";

/// Calendar subscriptions and secrets (`record::subscriptions`). A
/// person's calendar token is kept (to show its owner the URL again) with
/// its BLAKE2b hash, by which a feed request finds it; making a new one
/// revokes the old, and a revocation is a row of its own, so neither table
/// is updated or deleted. A secret (the group robot's webhook) is the one
/// thing a school must be able to remove: its row is replaced or deleted,
/// and only the fact of the change goes to the audit trail.
const V4: &str = "
CREATE TABLE calendar_tokens (
    id INTEGER PRIMARY KEY,
    staff_id TEXT NOT NULL,
    token TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    who TEXT NOT NULL
);

CREATE TABLE calendar_revocations (
    token_id INTEGER PRIMARY KEY REFERENCES calendar_tokens (id),
    revoked_at TEXT NOT NULL,
    who TEXT NOT NULL
);

CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    set_at TEXT NOT NULL,
    who TEXT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER calendar_tokens_kept_update BEFORE UPDATE ON calendar_tokens
BEGIN SELECT RAISE(ABORT, 'calendar tokens are kept as they are'); END;
CREATE TRIGGER calendar_tokens_kept_delete BEFORE DELETE ON calendar_tokens
BEGIN SELECT RAISE(ABORT, 'calendar tokens are kept as they are'); END;
CREATE TRIGGER calendar_revocations_kept_update BEFORE UPDATE ON calendar_revocations
BEGIN SELECT RAISE(ABORT, 'revocations are kept as they are'); END;
CREATE TRIGGER calendar_revocations_kept_delete BEFORE DELETE ON calendar_revocations
BEGIN SELECT RAISE(ABORT, 'revocations are kept as they are'); END;
";

/// Applications (`record::applications`, issue 20). A pupil's row holds
/// only what the service needs (class, name, a guardian and a phone for a
/// late pickup) and is the one row a family's erasure blanks; an
/// application (what was chosen) and its steps (who did what, when) are
/// kept as they are, so the counts the ledger and pay rest on survive an
/// erasure without naming the child.
const V5: &str = "
CREATE TABLE pupils (
    id INTEGER PRIMARY KEY,
    class_id TEXT NOT NULL,
    name TEXT NOT NULL,
    guardian TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    erased_at TEXT
);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    pupil_id INTEGER NOT NULL REFERENCES pupils (id),
    class_id TEXT NOT NULL,
    weekdays TEXT NOT NULL,
    sessions TEXT NOT NULL,
    clubs TEXT NOT NULL DEFAULT '',
    applied_at TEXT NOT NULL
);

CREATE TABLE application_steps (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    step TEXT NOT NULL CHECK (step IN ('apply', 'review', 'approve', 'withdraw')),
    ok INTEGER NOT NULL DEFAULT 1 CHECK (ok IN (0, 1)),
    on_date TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL
);

CREATE TRIGGER applications_kept_update BEFORE UPDATE ON applications
BEGIN SELECT RAISE(ABORT, 'applications are kept as they are'); END;
CREATE TRIGGER applications_kept_delete BEFORE DELETE ON applications
BEGIN SELECT RAISE(ABORT, 'applications are kept as they are'); END;
CREATE TRIGGER steps_kept_update BEFORE UPDATE ON application_steps
BEGIN SELECT RAISE(ABORT, 'application steps are kept as they are'); END;
CREATE TRIGGER steps_kept_delete BEFORE DELETE ON application_steps
BEGIN SELECT RAISE(ABORT, 'application steps are kept as they are'); END;
CREATE TRIGGER pupils_kept_delete BEFORE DELETE ON pupils
BEGIN SELECT RAISE(ABORT, 'a pupil is erased, not deleted'); END;
";

/// Policy versions saved from the web app (`record::policy_versions`):
/// each save is a new row (a restore too, naming the row it restores),
/// never updated or deleted.
const V6: &str = "
CREATE TABLE policy_versions (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    restored_from INTEGER REFERENCES policy_versions (id),
    pay_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (pay_confirmed IN (0, 1))
);

CREATE TRIGGER policy_versions_kept_update BEFORE UPDATE ON policy_versions
BEGIN SELECT RAISE(ABORT, 'policy versions are kept as they are'); END;
CREATE TRIGGER policy_versions_kept_delete BEFORE DELETE ON policy_versions
BEGIN SELECT RAISE(ABORT, 'policy versions are kept as they are'); END;
";

/// Children's data (`record::privacy`, issue 20 item 6): every staff read
/// of a pupil's record, kept as it is; and a step's note may be blanked
/// (a family's erasure), nothing else of a step changed.
const V7: &str = "
CREATE TABLE pupil_reads (
    id INTEGER PRIMARY KEY,
    pupil_id INTEGER NOT NULL REFERENCES pupils (id),
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    what TEXT NOT NULL
);
CREATE INDEX pupil_reads_by_pupil ON pupil_reads (pupil_id);

CREATE TRIGGER pupil_reads_kept_update BEFORE UPDATE ON pupil_reads
BEGIN SELECT RAISE(ABORT, 'the read log is kept as it is'); END;
CREATE TRIGGER pupil_reads_kept_delete BEFORE DELETE ON pupil_reads
BEGIN SELECT RAISE(ABORT, 'the read log is kept as it is'); END;

DROP TRIGGER steps_kept_update;
CREATE TRIGGER steps_kept_update BEFORE UPDATE ON application_steps
WHEN NOT (NEW.note = '' AND NEW.id = OLD.id AND NEW.application_id = OLD.application_id
    AND NEW.step = OLD.step AND NEW.ok = OLD.ok AND NEW.on_date = OLD.on_date
    AND NEW.actor = OLD.actor AND NEW.at = OLD.at AND NEW.who = OLD.who AND NEW.via = OLD.via)
BEGIN SELECT RAISE(ABORT, 'application steps are kept as they are'); END;
";

/// During each duty (`record::duty`, issue 20 item 2): the duty teacher's
/// sign-in, the roll call, a pupil unwell, each pickup, and the handovers
/// with the receiver's confirmation. Each is a row of its own, never
/// updated or deleted: a roll call is taken once per pupil and duty (a
/// second is refused), a handover's confirmation is a row of its own.
/// Times (`at`) are the school's local time, `YYYY-MM-DDTHH:MM`;
/// `recorded_at` is when the row was written.
const V8: &str = "
CREATE TABLE duty_sign_ins (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL CHECK (length(date) = 10),
    duty_id TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    at TEXT NOT NULL,
    late INTEGER NOT NULL CHECK (late IN (0, 1)),
    recorded_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    UNIQUE (duty_id, staff_id)
);

CREATE TABLE roll_calls (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL CHECK (length(date) = 10),
    duty_id TEXT NOT NULL,
    pupil_id INTEGER NOT NULL REFERENCES pupils (id),
    mark TEXT NOT NULL CHECK (mark IN ('present', 'leave', 'unexcused')),
    staff_id TEXT NOT NULL,
    at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    UNIQUE (duty_id, pupil_id)
);

CREATE TABLE unwell (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL CHECK (length(date) = 10),
    duty_id TEXT NOT NULL,
    pupil_id INTEGER NOT NULL REFERENCES pupils (id),
    at TEXT NOT NULL,
    action TEXT NOT NULL CHECK (length(action) > 0),
    staff_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL
);

CREATE TABLE pickups (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL CHECK (length(date) = 10),
    duty_id TEXT NOT NULL,
    pupil_id INTEGER NOT NULL REFERENCES pupils (id),
    at TEXT NOT NULL,
    late INTEGER NOT NULL CHECK (late IN (0, 1)),
    staff_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    UNIQUE (duty_id, pupil_id)
);

CREATE TABLE handovers (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL CHECK (length(date) = 10),
    from_duty TEXT NOT NULL,
    from_staff TEXT NOT NULL,
    to_duty TEXT NOT NULL,
    to_staff TEXT NOT NULL,
    pupils TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL CHECK (count >= 0),
    at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL
);

CREATE TABLE handover_confirms (
    handover_id INTEGER PRIMARY KEY REFERENCES handovers (id),
    staff_id TEXT NOT NULL,
    at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL
);

CREATE TRIGGER duty_sign_ins_kept_update BEFORE UPDATE ON duty_sign_ins
BEGIN SELECT RAISE(ABORT, 'sign-ins are kept as they are'); END;
CREATE TRIGGER duty_sign_ins_kept_delete BEFORE DELETE ON duty_sign_ins
BEGIN SELECT RAISE(ABORT, 'sign-ins are kept as they are'); END;
CREATE TRIGGER roll_calls_kept_update BEFORE UPDATE ON roll_calls
BEGIN SELECT RAISE(ABORT, 'roll calls are kept as they are'); END;
CREATE TRIGGER roll_calls_kept_delete BEFORE DELETE ON roll_calls
BEGIN SELECT RAISE(ABORT, 'roll calls are kept as they are'); END;
CREATE TRIGGER unwell_kept_update BEFORE UPDATE ON unwell
BEGIN SELECT RAISE(ABORT, 'unwell records are kept as they are'); END;
CREATE TRIGGER unwell_kept_delete BEFORE DELETE ON unwell
BEGIN SELECT RAISE(ABORT, 'unwell records are kept as they are'); END;
CREATE TRIGGER pickups_kept_update BEFORE UPDATE ON pickups
BEGIN SELECT RAISE(ABORT, 'pickups are kept as they are'); END;
CREATE TRIGGER pickups_kept_delete BEFORE DELETE ON pickups
BEGIN SELECT RAISE(ABORT, 'pickups are kept as they are'); END;
CREATE TRIGGER handovers_kept_update BEFORE UPDATE ON handovers
BEGIN SELECT RAISE(ABORT, 'handovers are kept as they are'); END;
CREATE TRIGGER handovers_kept_delete BEFORE DELETE ON handovers
BEGIN SELECT RAISE(ABORT, 'handovers are kept as they are'); END;
CREATE TRIGGER handover_confirms_kept_update BEFORE UPDATE ON handover_confirms
BEGIN SELECT RAISE(ABORT, 'handover confirmations are kept as they are'); END;
CREATE TRIGGER handover_confirms_kept_delete BEFORE DELETE ON handover_confirms
BEGIN SELECT RAISE(ABORT, 'handover confirmations are kept as they are'); END;
";

/// The family's side of applications (`record::family`, issue 20): a
/// pupil's invitation codes for the parent page (kept by their BLAKE2b
/// hash; the newest of a pupil is the one that works, so issuing a new
/// one voids the old without an update), the term's published offer
/// (each publication a new row), the signed agreements (one per
/// application) and the club draws (method, seed and result, so a draw
/// can be checked again).
const V9: &str = "
CREATE TABLE invitation_codes (
    id INTEGER PRIMARY KEY,
    pupil_id INTEGER NOT NULL REFERENCES pupils (id),
    code_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    who TEXT NOT NULL
);

CREATE TABLE offers (
    id INTEGER PRIMARY KEY,
    term TEXT NOT NULL,
    content TEXT NOT NULL,
    safety TEXT NOT NULL,
    published_at TEXT NOT NULL,
    who TEXT NOT NULL
);

CREATE TABLE agreements (
    application_id INTEGER PRIMARY KEY REFERENCES applications (id),
    signed_on TEXT NOT NULL CHECK (length(signed_on) = 10),
    signed_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    who TEXT NOT NULL
);

CREATE TABLE club_draws (
    id INTEGER PRIMARY KEY,
    club_id TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('first', 'lottery')),
    seed INTEGER,
    admitted TEXT NOT NULL,
    waiting TEXT NOT NULL,
    drawn_at TEXT NOT NULL,
    who TEXT NOT NULL
);

CREATE TRIGGER codes_kept_update BEFORE UPDATE ON invitation_codes
BEGIN SELECT RAISE(ABORT, 'invitation codes are kept as they are'); END;
CREATE TRIGGER codes_kept_delete BEFORE DELETE ON invitation_codes
BEGIN SELECT RAISE(ABORT, 'invitation codes are kept as they are'); END;
CREATE TRIGGER offers_kept_update BEFORE UPDATE ON offers
BEGIN SELECT RAISE(ABORT, 'published offers are kept as they are'); END;
CREATE TRIGGER offers_kept_delete BEFORE DELETE ON offers
BEGIN SELECT RAISE(ABORT, 'published offers are kept as they are'); END;
CREATE TRIGGER agreements_kept_update BEFORE UPDATE ON agreements
BEGIN SELECT RAISE(ABORT, 'agreements are kept as they are'); END;
CREATE TRIGGER agreements_kept_delete BEFORE DELETE ON agreements
BEGIN SELECT RAISE(ABORT, 'agreements are kept as they are'); END;
CREATE TRIGGER draws_kept_update BEFORE UPDATE ON club_draws
BEGIN SELECT RAISE(ABORT, 'club draws are kept as they are'); END;
CREATE TRIGGER draws_kept_delete BEFORE DELETE ON club_draws
BEGIN SELECT RAISE(ABORT, 'club draws are kept as they are'); END;
";

/// Issue 20, items 3 and 4 (`record::emergency`, `record::comp`,
/// `record::surveys`): a session ended early (an adjustment: the events
/// table's kinds are fixed by its CHECK, so early ends have a table of
/// their own, which the ledger reads beside the events); comp time taken;
/// surveys opened for a group or club (the link's token kept only as its
/// hash) and their anonymous answers (scores and a comment; nothing about
/// who answered). All are kept as they are.
const V10: &str = "
CREATE TABLE adjustments (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL CHECK (length(date) = 10),
    session TEXT NOT NULL,
    end_at TEXT NOT NULL CHECK (length(end_at) = 5),
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL
);

CREATE TABLE comp_taken (
    id INTEGER PRIMARY KEY,
    staff_id TEXT NOT NULL,
    on_date TEXT NOT NULL CHECK (length(on_date) = 10),
    minutes INTEGER NOT NULL CHECK (minutes > 0),
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL
);

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    term TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    opened_at TEXT NOT NULL,
    who TEXT NOT NULL
);

CREATE TABLE survey_answers (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id),
    scores TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);

CREATE TRIGGER adjustments_kept_update BEFORE UPDATE ON adjustments
BEGIN SELECT RAISE(ABORT, 'adjustments are kept as they are'); END;
CREATE TRIGGER adjustments_kept_delete BEFORE DELETE ON adjustments
BEGIN SELECT RAISE(ABORT, 'adjustments are kept as they are'); END;
CREATE TRIGGER comp_taken_kept_update BEFORE UPDATE ON comp_taken
BEGIN SELECT RAISE(ABORT, 'comp time taken is kept as it is'); END;
CREATE TRIGGER comp_taken_kept_delete BEFORE DELETE ON comp_taken
BEGIN SELECT RAISE(ABORT, 'comp time taken is kept as it is'); END;
CREATE TRIGGER surveys_kept_update BEFORE UPDATE ON surveys
BEGIN SELECT RAISE(ABORT, 'surveys are kept as they are'); END;
CREATE TRIGGER surveys_kept_delete BEFORE DELETE ON surveys
BEGIN SELECT RAISE(ABORT, 'surveys are kept as they are'); END;
CREATE TRIGGER survey_answers_kept_update BEFORE UPDATE ON survey_answers
BEGIN SELECT RAISE(ABORT, 'survey answers are kept as they are'); END;
CREATE TRIGGER survey_answers_kept_delete BEFORE DELETE ON survey_answers
BEGIN SELECT RAISE(ABORT, 'survey answers are kept as they are'); END;
";

/// A family's erasure (`record::privacy`, issue 20 review): besides the
/// pupil's row and the steps' notes, it blanks what was written about the
/// child elsewhere, and only that, only once the pupil is erased: an
/// unwell record's action becomes a fixed mark (the row stays, for the
/// counts), an agreement's signer becomes ''. Nothing else of either row
/// may change; neither may be deleted.
const V11: &str = "
DROP TRIGGER unwell_kept_update;
CREATE TRIGGER unwell_kept_update BEFORE UPDATE ON unwell
WHEN NOT (NEW.action = '已删除 (erased)'
    AND (SELECT erased_at FROM pupils WHERE id = OLD.pupil_id) IS NOT NULL
    AND NEW.id = OLD.id AND NEW.date = OLD.date AND NEW.duty_id = OLD.duty_id
    AND NEW.pupil_id = OLD.pupil_id AND NEW.at = OLD.at AND NEW.staff_id = OLD.staff_id
    AND NEW.recorded_at = OLD.recorded_at AND NEW.who = OLD.who AND NEW.via = OLD.via)
BEGIN SELECT RAISE(ABORT, 'unwell records are kept as they are'); END;

DROP TRIGGER agreements_kept_update;
CREATE TRIGGER agreements_kept_update BEFORE UPDATE ON agreements
WHEN NOT (NEW.signed_by = ''
    AND (SELECT p.erased_at FROM pupils p JOIN applications a ON a.pupil_id = p.id
         WHERE a.id = OLD.application_id) IS NOT NULL
    AND NEW.application_id = OLD.application_id AND NEW.signed_on = OLD.signed_on
    AND NEW.recorded_at = OLD.recorded_at AND NEW.who = OLD.who)
BEGIN SELECT RAISE(ABORT, 'agreements are kept as they are'); END;
";
