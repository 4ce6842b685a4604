-- Initial schema of the scorekeeper store.
-- Results (checks, round_scores, external_reports) are keyed by team number and
-- service name, not by foreign keys to teams/services: editing the competition file
-- (renaming or dropping a service) must never cascade into recorded history.

CREATE TABLE competitions (
  id         serial PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
  competition_id int  NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
  number         int  NOT NULL,
  name           text NOT NULL,
  vars           jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (competition_id, number)
);

-- Services as configured (not expanded per team). Secrets are never stored here:
-- an explicit password and the params named in secretParams are dropped by syncCompetition.
CREATE TABLE services (
  competition_id    int  NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
  name              text NOT NULL,
  type              text NOT NULL,
  host              text NOT NULL,
  port              int,
  params            jsonb NOT NULL DEFAULT '{}',
  points            double precision NOT NULL DEFAULT 1,
  timeout_ms        int,
  credential_source jsonb,
  PRIMARY KEY (competition_id, name)
);

-- Team Specific Info with its history: the value in force for round R is the row with
-- the greatest (effective_round, id) among those with effective_round <= R.
CREATE TABLE team_info (
  id              bigserial PRIMARY KEY,
  competition_id  int  NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
  team            int  NOT NULL,
  key             text NOT NULL,
  value           text NOT NULL,
  effective_round int  NOT NULL DEFAULT 0,
  changed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX team_info_lookup ON team_info (competition_id, team, key, effective_round DESC, id DESC);

-- Team Info Pools: replaced as a whole by syncCompetition.
CREATE TABLE team_info_pools (
  competition_id int  NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
  pool           text NOT NULL,
  team           int  NOT NULL,
  position       int  NOT NULL,
  username       text NOT NULL,
  password       text NOT NULL,
  PRIMARY KEY (competition_id, pool, team, position)
);

-- One row per scan (round) of a competition.
CREATE TABLE scans (
  id             bigserial PRIMARY KEY,
  competition_id int NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
  round          int NOT NULL,
  started_at     timestamptz NOT NULL,
  finished_at    timestamptz,
  duration_ms    int,
  checks         int,
  up             int,
  down           int,
  timed_out      int,
  store_issues   jsonb,
  UNIQUE (competition_id, round)
);

-- Exactly one row per check of a service of a team in a scan.
CREATE TABLE checks (
  id            bigserial PRIMARY KEY,
  scan_id       bigint NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  team          int  NOT NULL,
  service       text NOT NULL,
  type          text NOT NULL,
  resolved_type text,
  status        text NOT NULL CHECK (status IN ('in_progress', 'finished', 'interrupted')),
  score         double precision,
  points        double precision NOT NULL,
  error         text,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  duration_ms   int,
  warnings      jsonb NOT NULL DEFAULT '[]',
  timings       jsonb,
  UNIQUE (scan_id, team, service)
);
CREATE INDEX checks_in_progress ON checks (scan_id) WHERE status = 'in_progress';

-- Per team, per service, per round: what scoreboards read (never the whole check history).
CREATE TABLE round_scores (
  competition_id int  NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
  round          int  NOT NULL,
  team           int  NOT NULL,
  service        text NOT NULL,
  score          double precision NOT NULL,
  points         double precision NOT NULL,
  up             boolean NOT NULL,
  source         text NOT NULL DEFAULT 'check' CHECK (source IN ('check', 'external')),
  -- The check that scored the round (null for external reports). Not a foreign key: the
  -- row is written in the same statement as the check, and an FK trigger per row is a
  -- cost per check on the write path (docs/benchmarks.md, "Measurements behind source
  -- comments").
  check_id       bigint,
  PRIMARY KEY (competition_id, round, team, service)
);
CREATE INDEX round_scores_team_service ON round_scores (competition_id, team, service, round);

-- Scores reported from outside the engine (external checks), with their history.
CREATE TABLE external_reports (
  id             bigserial PRIMARY KEY,
  competition_id int  NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
  round          int  NOT NULL,
  team           int  NOT NULL,
  service        text NOT NULL,
  score          double precision NOT NULL,
  points         double precision NOT NULL,
  error          text,
  reported_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX external_reports_lookup ON external_reports (competition_id, round, team, service);
