-- Sessions of the web pages (docs/pages.md), kept on the server. The cookie holds a random id;
-- only its SHA-256 is stored, so a copy of this table logs nobody in. A citizen's session holds
-- the pseudonym of their BSN, never the BSN. A session without a role is a visitor's before
-- logging in: it carries the CSRF token of the forms, and during an OpenID Connect login the
-- state, nonce and PKCE verifier of that login.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    role          TEXT,
    person        TEXT,
    organisation  TEXT,
    csrf_token    TEXT NOT NULL,
    oidc_state    TEXT,
    oidc_nonce    TEXT,
    oidc_verifier TEXT,
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
