-- Identity hardening: password history and age, account lockout, the second
-- factor (TOTP) with recovery codes, and the short-lived state between the
-- password and the code of a two-step sign-in.

ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMP;
UPDATE users SET password_changed_at = updated_at;

-- Hashes of the passwords each account has had, newest with the largest id.
CREATE TABLE password_history (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);
INSERT INTO password_history (user_id, hash, created_at) SELECT id, password_hash, updated_at FROM users;

-- Consecutive failed sign-ins per login name (known or not, so that a lock
-- says nothing about whether the name exists).
CREATE TABLE login_locks (
    username     TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX login_locks_until ON login_locks(locked_until);

-- One TOTP secret per account: pending until confirmed with a code.
-- last_step is the last time step accepted, so that no code is used twice.
CREATE TABLE user_totp (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret     TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL DEFAULT FALSE,
    last_step  INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    enabled_at TIMESTAMP
);

-- One-time recovery codes, hashed.
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, code_hash)
);

-- A sign-in whose password was right and whose second factor is still to
-- come: the browser holds the secret, only its hash is kept.
CREATE TABLE login_challenges (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ip         TEXT NOT NULL DEFAULT '',
    next       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
