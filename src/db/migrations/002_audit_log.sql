-- Who did what from outside the rounds: password changes, external reports, check-now.
-- Never the secret itself: `subject` is the Team Specific Info key or the service name,
-- `detail` a short description without values.
CREATE TABLE audit_log (
  id             bigserial PRIMARY KEY,
  competition_id int  NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
  at             timestamptz NOT NULL DEFAULT now(),
  actor          text NOT NULL,
  action         text NOT NULL,
  team           int  NOT NULL,
  subject        text NOT NULL,
  detail         text NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_competition_at ON audit_log (competition_id, at DESC);
